import { isRecord } from './untranslatable.js';

/** What a Google API error body `{"error": {"code", "message", "status", "details"}}` says. */
export interface GoogleError {
  code?: number;
  message?: string;
  /** The canonical status name: RESOURCE_EXHAUSTED, INVALID_ARGUMENT, UNAVAILABLE, … */
  status?: string;
  /** `google.rpc.RetryInfo.retryDelay` in ms, when the details carry one. */
  retryDelayMs?: number;
  /** `google.rpc.ErrorInfo.reason`s, e.g. API_KEY_INVALID. */
  reasons: string[];
}

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';
/** A protobuf Duration in JSON: decimal seconds with an `s` ("30s", "1.5s", "58.934310785s"). */
const DURATION = /^(\d+(?:\.\d+)?)s$/;

/** Parses a protobuf JSON Duration into ms; undefined when it is not one. */
export function parseProtoDurationMs(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * 1000 : undefined;
}

/** Reads a Google error body without trusting its shape (a one-element array of it is accepted too). */
export function readGoogleError(text: string): GoogleError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text ? { message: text.slice(0, 500), reasons: [] } : { reasons: [] };
  }
  if (Array.isArray(parsed)) parsed = parsed[0];
  const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : undefined;
  if (!error) return { reasons: [] };
  const out: GoogleError = { reasons: [] };
  if (typeof error.code === 'number') out.code = error.code;
  if (typeof error.message === 'string') out.message = error.message;
  if (typeof error.status === 'string') out.status = error.status;
  for (const detail of Array.isArray(error.details) ? error.details : []) {
    if (!isRecord(detail)) continue;
    if (detail['@type'] === RETRY_INFO) {
      const ms = parseProtoDurationMs(detail.retryDelay);
      if (ms !== undefined) out.retryDelayMs = ms;
    } else if (detail['@type'] === ERROR_INFO && typeof detail.reason === 'string') {
      out.reasons.push(detail.reason);
    }
  }
  return out;
}
