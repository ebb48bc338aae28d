/** Details page (timeline, relationship graph), page-level view and KB explorer/curation. Filled in by the explorer work. */
export interface ExploreProtocol {}
