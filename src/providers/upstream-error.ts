import { SwitchboardError } from '../common/errors.js';
import { redactSecrets, safeProviderMessage } from './redact-secrets.js';

/**
 * What a failure means for the engine:
 * - `transient`: connect errors, resets, timeouts, 408/5xx, bad answers, streams broken before content → retry, then fall back.
 * - `rate_limited`: 429 → honour Retry-After (wait or cool down), else back off; then fall back.
 * - `provider`: 401/402/403/404 → no retry; fall back at once; counts against the breaker.
 * - `context_length`: the prompt does not fit → fall back only to models with a larger context window.
 * - `content_policy`: refused on policy → returned to the caller unless the route opts into falling back.
 * - `client`: the request itself is wrong (other 400/413/422) → straight back to the caller.
 */
export type ErrorKind =
  | 'transient'
  | 'rate_limited'
  | 'provider'
  | 'context_length'
  | 'content_policy'
  | 'client';

export type HeaderMap = Record<string, string | string[] | undefined>;

export interface UpstreamErrorInit {
  kind: ErrorKind;
  /** Stable detail, e.g. `http_503`, `timeout`, `connect_failed`, `reset`, `bad_response`, `stream_broken`. */
  code: string;
  status?: number;
  /**
   * What the provider said. Redacted here, the one place every upstream message passes: `secrets`
   * and anything shaped like a credential are replaced, and it is capped in length.
   */
  providerMessage?: string;
  /** The adapter's own secrets (its key, its header values): never kept in a message. */
  secrets?: readonly string[];
  /** The provider's error `type` / `code` fields, when it sent them. */
  providerCode?: string;
  /** Response headers relevant to waiting (retry-after family); lowercase names. */
  headers?: HeaderMap;
  /** A connection-level failure: counts against every model of the provider. */
  connectFailed?: boolean;
  cause?: unknown;
}

const FLAGS: Record<ErrorKind, { retryable: boolean; fallback: boolean; countsTowardBreaker: boolean }> = {
  transient: { retryable: true, fallback: true, countsTowardBreaker: true },
  rate_limited: { retryable: true, fallback: true, countsTowardBreaker: false },
  provider: { retryable: false, fallback: true, countsTowardBreaker: true },
  context_length: { retryable: false, fallback: true, countsTowardBreaker: false },
  content_policy: { retryable: false, fallback: false, countsTowardBreaker: false },
  client: { retryable: false, fallback: false, countsTowardBreaker: false },
};

/** A failed upstream attempt, classified. The flags are decisions, derived from the kind. */
export class UpstreamError extends SwitchboardError {
  readonly kind: ErrorKind;
  readonly status: number | undefined;
  readonly providerMessage: string | undefined;
  readonly providerCode: string | undefined;
  readonly headers: HeaderMap | undefined;
  readonly connectFailed: boolean;
  readonly retryable: boolean;
  readonly fallback: boolean;
  readonly countsTowardBreaker: boolean;

  constructor(init: UpstreamErrorInit) {
    const message =
      init.providerMessage === undefined
        ? undefined
        : safeProviderMessage(init.providerMessage, init.secrets);
    const detail = message ? `: ${message}` : '';
    super(init.code, `upstream ${init.status ?? init.code}${detail}`, { cause: init.cause });
    this.name = 'UpstreamError';
    this.kind = init.kind;
    this.status = init.status;
    this.providerMessage = message;
    this.providerCode =
      init.providerCode === undefined
        ? undefined
        : redactSecrets(init.providerCode, init.secrets).slice(0, 100);
    this.headers = init.headers;
    this.connectFailed = init.connectFailed ?? false;
    const flags = FLAGS[init.kind];
    this.retryable = flags.retryable;
    this.fallback = flags.fallback;
    this.countsTowardBreaker = flags.countsTowardBreaker;
  }
}
