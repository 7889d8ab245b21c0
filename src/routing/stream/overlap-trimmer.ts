/**
 * Removes a repeated beginning from a continuation. A model asked to continue a partial answer may
 * start over instead; the caller already has the partial text, so the repeat must not reach it twice.
 * Text is held back only while it is still a prefix of the partial answer; as soon as it diverges (or
 * has repeated the partial whole) everything after is passed through.
 */
export class OverlapTrimmer {
  #held = '';
  #decided = false;

  constructor(private readonly partial: string) {
    this.#decided = partial.length === 0;
  }

  /** Feeds continuation text; returns what may be sent now (possibly ''). */
  push(text: string): string {
    if (this.#decided) return text;
    this.#held += text;
    if (this.#held.length >= this.partial.length) {
      this.#decided = true;
      const held = this.#held;
      this.#held = '';
      return held.startsWith(this.partial) ? held.slice(this.partial.length) : held;
    }
    if (this.partial.startsWith(this.#held)) return '';
    this.#decided = true;
    const held = this.#held;
    this.#held = '';
    return held;
  }

  /** At the end of the continuation: whatever is still held (a repeat that stopped short is dropped). */
  flush(): string {
    this.#decided = true;
    this.#held = '';
    return '';
  }
}
