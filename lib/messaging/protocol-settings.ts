/** Settings and the reading log. Filled in by the reading work. */
export interface SettingsProtocol {}
