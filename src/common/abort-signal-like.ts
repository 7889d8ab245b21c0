/**
 * The part of AbortSignal the engine and undici use. A real AbortSignal is one; so is LinkedAbort,
 * which costs a fraction of it (Node builds an AbortSignal for ~6 µs, paid several times per request).
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
