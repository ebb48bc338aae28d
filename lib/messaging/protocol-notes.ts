/** Notes: save, list, re-anchor, export and import. Filled in by the notes work. */
export interface NotesProtocol {}
