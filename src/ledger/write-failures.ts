import type { Logger } from '../telemetry/logger.js';

/**
 * Counts the rows a ledger could not write and reports the failure loudly, once per episode (not per
 * request); says so again, quietly, when writing works again.
 */
export class WriteFailures {
  readonly #logger: Logger | undefined;
  readonly #location: string;
  #failing = false;
  #dropped = 0;
  #droppedThisEpisode = 0;

  constructor(logger: Logger | undefined, location: string) {
    this.#logger = logger;
    this.#location = location;
  }

  /** Rows dropped since start. */
  get dropped(): number {
    return this.#dropped;
  }

  /** `rows` could not be written because of `error`. */
  drop(rows: number, error: unknown): void {
    this.#dropped += rows;
    this.#droppedThisEpisode += rows;
    this.fail(error);
  }

  /** The store failed (e.g. could not be opened); logs at error level when an episode starts. */
  fail(error: unknown): void {
    if (this.#failing) return;
    this.#failing = true;
    this.#logger?.error(
      { ledger: this.#location, err: error },
      `LEDGER UNAVAILABLE: usage records are being dropped (${messageOf(error)}). Requests are still served; fix the path or the disk, or set \`ledger: off\`.`,
    );
  }

  /** A write went through: ends an episode. */
  recovered(): void {
    if (!this.#failing) return;
    this.#logger?.warn(
      { ledger: this.#location, dropped: this.#droppedThisEpisode },
      `ledger: writing again after dropping ${this.#droppedThisEpisode} records`,
    );
    this.#failing = false;
    this.#droppedThisEpisode = 0;
  }
}

/** An error's message, or the thing itself as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
