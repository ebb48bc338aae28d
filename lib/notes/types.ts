/**
 * A user's note on a page, kept in IndexedDB and exported as a W3C Web Annotation
 * (https://www.w3.org/TR/annotation-model/). Selectors follow the model's TextQuoteSelector and
 * TextPositionSelector; positions index the page text as the content script extracts it
 * (lib/page/extract.ts), in UTF-16 code units.
 */
export interface TextQuoteSelector {
  type: 'TextQuoteSelector';
  /** The selected text. */
  exact: string;
  /** Up to 32 characters before it. */
  prefix: string;
  /** Up to 32 characters after it. */
  suffix: string;
}

export interface TextPositionSelector {
  type: 'TextPositionSelector';
  start: number;
  end: number;
}

export interface Note {
  /** `urn:uuid:…`, stable across export and import (duplicates merge by id). */
  id: string;
  /** Page identity: the page's rel=canonical, else the URL without tracking parameters and fragment. */
  page: string;
  /** The address the note was taken on, as visited. */
  url: string;
  /** Page title when the note was taken. */
  title: string;
  quote: TextQuoteSelector;
  position: TextPositionSelector;
  /** The user's comment (plain text; never rendered as HTML). */
  comment: string;
  tags: string[];
  /** Ids of KB entities mentioned in the selection (linked automatically, editable). */
  entities: string[];
  /** ISO 8601 date-times. */
  created: string;
  modified: string;
}
