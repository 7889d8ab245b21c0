/** One thing seen of a model, in time order: a user attempt's verdict, or its breaker opening or closing. */
export interface HealthMark {
  atMs: number;
  model: string;
  kind: 'failure' | 'success' | 'open' | 'close';
}

/** One outage of a model, as `switchboard report` and `GET /status` show it. ms since the epoch. */
export interface OutageSpan {
  model: string;
  /** The first failed attempt since the model last answered (the breaker's open, when none was seen). */
  downAtMs: number;
  /** When its breaker opened: from here no user request is sent to it. */
  detectedAtMs: number;
  /** When its breaker closed (a health probe or a half-open probe succeeded); undefined: still open. */
  recoveredAtMs?: number;
  /** The first user attempt it answered after the close; undefined: none yet. */
  trafficBackAtMs?: number;
}

interface Tracking {
  firstFailureAtMs?: number;
  open?: OutageSpan;
}

/**
 * Outage spans from a model's marks (pure; marks in time order, any models interleaved). A span starts
 * when a breaker opens (back-dated to the first failure since the last success), is recovered when it
 * closes, and ends at the first success after that; a breaker that reopens before any success keeps
 * the same span (a flapping recovery is one outage). Spans come out in order of detection, the
 * unfinished ones included.
 */
export function outageSpans(marks: Iterable<HealthMark>): OutageSpan[] {
  const book = new OutageBook(Number.POSITIVE_INFINITY);
  for (const mark of marks) book.mark(mark);
  return book.spans();
}

/** `outageSpans` kept up as marks arrive, holding the last `limit` spans. */
export class OutageBook {
  readonly #limit: number;
  readonly #spans: OutageSpan[] = [];
  readonly #byModel = new Map<string, Tracking>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  mark(mark: HealthMark): void {
    let t = this.#byModel.get(mark.model);
    if (t === undefined) {
      t = {};
      this.#byModel.set(mark.model, t);
    }
    const span = t.open;
    switch (mark.kind) {
      case 'failure':
        if (span === undefined) t.firstFailureAtMs ??= mark.atMs;
        break;
      case 'success':
        if (span === undefined) t.firstFailureAtMs = undefined;
        else if (span.recoveredAtMs !== undefined) {
          span.trafficBackAtMs = mark.atMs;
          t.open = undefined;
          t.firstFailureAtMs = undefined;
        }
        break;
      case 'open':
        if (span === undefined) {
          const opened: OutageSpan = {
            model: mark.model,
            downAtMs: Math.min(t.firstFailureAtMs ?? mark.atMs, mark.atMs),
            detectedAtMs: mark.atMs,
          };
          this.#spans.push(opened);
          if (this.#spans.length > this.#limit) this.#spans.shift();
          t.open = opened;
        } else delete span.recoveredAtMs;
        break;
      case 'close':
        if (span !== undefined) span.recoveredAtMs = mark.atMs;
        break;
    }
  }

  /** Copies of the spans kept, oldest first; with `model`, that model's only. */
  spans(model?: string): OutageSpan[] {
    return this.#spans.filter((s) => model === undefined || s.model === model).map((s) => ({ ...s }));
  }
}
