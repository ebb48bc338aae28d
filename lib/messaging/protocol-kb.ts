/** Knowledge-base queries and curation (popup, details page, explorer). Filled in by the popup/explorer work. */
export interface KbProtocol {}
