// The `ahocorasick` package ships no types; this is the part the benchmark uses.
declare module 'ahocorasick' {
  export default class AhoCorasick {
    constructor(keywords: string[]);
    /** [end index (inclusive), keywords ending there][] */
    search(text: string): [number, string[]][];
  }
}
