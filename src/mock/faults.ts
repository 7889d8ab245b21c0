import { SwitchboardError } from '../common/errors.js';

/**
 * What the simulated provider does to a chat completion request. Tagged by `type`; every variant
 * round-trips through `formatFault` / `parseFault` as a short spec string (`'stall:2:500'`).
 */
export type Fault =
  /** Healthy: answer normally. */
  | { type: 'ok' }
  /** Reply with this HTTP status (400-599) and a fitting OpenAI error body. 429 has its own variant. */
  | { type: 'status'; status: number }
  /** 429 rate limit, optionally with `Retry-After: <s>` or `retry-after-ms: <ms>`. */
  | { type: 'rate-limit'; retryAfterS?: number; retryAfterMs?: number }
  /** Accept the request and never answer. */
  | { type: 'timeout' }
  /** Destroy the connection before any header is sent. */
  | { type: 'reset' }
  /** 503 with this probability (seeded PRNG), otherwise ok. */
  | { type: 'flaky'; probability: number }
  /** Stream: headers at once, then `ms` of silence before the first chunk. Non-stream: answer after `ms`. */
  | { type: 'slow-first-token'; ms: number }
  /** Stream: `chunks` content chunks, then the socket is destroyed. */
  | { type: 'stream-cut'; chunks: number }
  /** Stream: `chunks` content chunks, then `ms` of silence, then the rest. */
  | { type: 'stall'; chunks: number; ms: number }
  /** Stream: the `chunk`-th content chunk (1-based) is replaced by invalid JSON. */
  | { type: 'malformed'; chunk: number }
  /**
   * Stream: `chunks` content chunks, then the vendor's in-stream error (Anthropic: an `error` event of
   * type `overloaded_error`; OpenAI wire: a `data: {"error":…}` chunk) and the end of the response.
   */
  | { type: 'overloaded-mid-stream'; chunks: number }
  /** Stream: no `data: [DONE]` line; the response otherwise ends cleanly. */
  | { type: 'no-done' }
  /** 400 context_length_exceeded. */
  | { type: 'context-length' }
  /** 400 content_filter (Azure/OpenAI content management policy). Gemini: a 200 whose prompt is blocked. */
  | { type: 'content-filter' }
  /**
   * The answer is withheld on safety grounds. Gemini: a 200 whose candidate finished SAFETY with no
   * content. OpenAI wire: as content-filter.
   */
  | { type: 'safety-block' }
  /** 503 for `ms` after start / reset / setFault, then healthy. */
  | { type: 'down-for'; ms: number }
  /** 200 with a JSON content type and a truncated body. */
  | { type: 'bad-json' }
  /** 200 with `choices: []`. */
  | { type: 'empty-choices' }
  /**
   * A careless upstream: answers `status` (400-599, default 400) with an error message that quotes the
   * request's auth headers (`Authorization`, `x-api-key`, `x-goog-api-key`), keys included.
   */
  | { type: 'echo-key'; status: number }
  /** Stream: `chunks` content chunks, then an in-stream `error` event quoting the auth headers. Non-stream: a 500 quoting them. */
  | { type: 'echo-key-mid-stream'; chunks: number };

export type FaultType = Fault['type'];

/** Human-readable list of the accepted spec strings (used in error messages and CLI help). */
export const FAULT_MODES: readonly string[] = [
  'ok',
  'NNN (HTTP status 400-599, e.g. 500, 503, 401, 404)',
  '429[:retry_after_s]',
  '429ms:MS',
  'timeout',
  'reset',
  'flaky:P (0..1)',
  'slow-first-token:MS',
  'stream-cut:N',
  'stall:N:MS',
  'malformed:N (N >= 1)',
  'overloaded-mid-stream:N',
  'no-done',
  'context-length',
  'content-filter',
  'safety-block',
  'down-for:MS',
  'bad-json',
  'empty-choices',
  "echo-key[:NNN] (an error quoting the request's auth headers; default 400)",
  'echo-key-mid-stream:N (N chunks, then an in-stream error quoting them)',
];

function invalid(spec: string, why?: string): SwitchboardError {
  const shown = spec.length > 60 ? `${spec.slice(0, 60)}…` : spec;
  const reason = why ? ` (${why})` : '';
  return new SwitchboardError(
    'invalid_fault',
    `Invalid fault "${shown}"${reason}. Valid modes: ${FAULT_MODES.join(', ')}`,
  );
}

/** A non-negative integer, written in plain decimal digits. */
function parseCount(spec: string, raw: string | undefined, what: string): number {
  if (raw === undefined || !/^\d{1,9}$/.test(raw))
    throw invalid(spec, `${what} must be a non-negative integer`);
  return Number(raw);
}

function parseProbability(spec: string, raw: string | undefined): number {
  const p = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  if (!(p >= 0 && p <= 1)) throw invalid(spec, 'P must be a number between 0 and 1');
  return p;
}

function expectArgs(spec: string, args: string[], count: number): void {
  if (args.length !== count) {
    throw invalid(spec, count === 0 ? 'takes no argument' : `takes ${count} argument(s)`);
  }
}

/** Parses a fault spec such as `'503'`, `'429:2'`, `'stall:3:200'`. Throws SwitchboardError('invalid_fault'). */
export function parseFault(spec: string): Fault {
  if (typeof spec !== 'string') throw invalid(String(spec), 'expected a string');
  const text = spec.trim().toLowerCase();
  const [head = '', ...args] = text.split(':');

  if (/^\d{3}$/.test(head)) {
    const status = Number(head);
    if (status === 429) {
      if (args.length > 1) throw invalid(spec, 'takes at most 1 argument');
      if (args.length === 0) return { type: 'rate-limit' };
      return { type: 'rate-limit', retryAfterS: parseCount(spec, args[0], 'retry_after_s') };
    }
    if (status < 400 || status > 599) throw invalid(spec, 'status must be between 400 and 599');
    expectArgs(spec, args, 0);
    return { type: 'status', status };
  }

  switch (head) {
    case '429ms':
      expectArgs(spec, args, 1);
      return { type: 'rate-limit', retryAfterMs: parseCount(spec, args[0], 'MS') };
    case 'ok':
    case 'timeout':
    case 'reset':
    case 'no-done':
    case 'context-length':
    case 'content-filter':
    case 'safety-block':
    case 'bad-json':
    case 'empty-choices':
      expectArgs(spec, args, 0);
      return { type: head };
    case 'flaky':
      expectArgs(spec, args, 1);
      return { type: 'flaky', probability: parseProbability(spec, args[0]) };
    case 'slow-first-token':
      expectArgs(spec, args, 1);
      return { type: 'slow-first-token', ms: parseCount(spec, args[0], 'MS') };
    case 'down-for':
      expectArgs(spec, args, 1);
      return { type: 'down-for', ms: parseCount(spec, args[0], 'MS') };
    case 'stream-cut':
      expectArgs(spec, args, 1);
      return { type: 'stream-cut', chunks: parseCount(spec, args[0], 'N') };
    case 'overloaded-mid-stream':
      expectArgs(spec, args, 1);
      return { type: 'overloaded-mid-stream', chunks: parseCount(spec, args[0], 'N') };
    case 'stall':
      expectArgs(spec, args, 2);
      return { type: 'stall', chunks: parseCount(spec, args[0], 'N'), ms: parseCount(spec, args[1], 'MS') };
    case 'echo-key': {
      if (args.length > 1) throw invalid(spec, 'takes at most 1 argument');
      if (args.length === 0) return { type: 'echo-key', status: 400 };
      const status = /^\d{3}$/.test(args[0] ?? '') ? Number(args[0]) : Number.NaN;
      if (!(status >= 400 && status <= 599)) throw invalid(spec, 'status must be between 400 and 599');
      return { type: 'echo-key', status };
    }
    case 'echo-key-mid-stream':
      expectArgs(spec, args, 1);
      return { type: 'echo-key-mid-stream', chunks: parseCount(spec, args[0], 'N') };
    case 'malformed': {
      expectArgs(spec, args, 1);
      const chunk = parseCount(spec, args[0], 'N');
      if (chunk < 1) throw invalid(spec, 'N is 1-based');
      return { type: 'malformed', chunk };
    }
    default:
      throw invalid(spec);
  }
}

/** The canonical spec string of a fault (what /__stats reports). */
export function formatFault(fault: Fault): string {
  switch (fault.type) {
    case 'status':
      return String(fault.status);
    case 'rate-limit':
      if (fault.retryAfterMs !== undefined) return `429ms:${fault.retryAfterMs}`;
      return fault.retryAfterS !== undefined ? `429:${fault.retryAfterS}` : '429';
    case 'flaky':
      return `flaky:${fault.probability}`;
    case 'slow-first-token':
    case 'down-for':
      return `${fault.type}:${fault.ms}`;
    case 'stream-cut':
    case 'overloaded-mid-stream':
      return `${fault.type}:${fault.chunks}`;
    case 'stall':
      return `stall:${fault.chunks}:${fault.ms}`;
    case 'malformed':
      return `malformed:${fault.chunk}`;
    case 'echo-key':
      return fault.status === 400 ? 'echo-key' : `echo-key:${fault.status}`;
    case 'echo-key-mid-stream':
      return `echo-key-mid-stream:${fault.chunks}`;
    default:
      return fault.type;
  }
}

/**
 * Validates a spec string or a Fault object (which may come from untyped JS or a JSON body) and
 * returns the parsed fault with its canonical spec.
 */
export function resolveFault(input: string | Fault): { fault: Fault; spec: string } {
  let fault: Fault;
  if (typeof input === 'string') {
    fault = parseFault(input);
  } else if (input !== null && typeof input === 'object' && typeof input.type === 'string') {
    // Round-trip through the spec string so hand-built objects get the same validation.
    fault = parseFault(formatFault(input));
    if (fault.type !== input.type && !(input.type === 'status' && fault.type === 'rate-limit')) {
      throw invalid(JSON.stringify(input));
    }
  } else {
    throw invalid(JSON.stringify(input) ?? String(input), 'expected a spec string or a {type} object');
  }
  return { fault, spec: formatFault(fault) };
}
