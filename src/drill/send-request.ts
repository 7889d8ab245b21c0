import type { Clock } from '../common/clock.js';
import type { ResultMetadata } from '../routing/metadata.js';
import type { Switchboard } from '../switchboard.js';
import { promptOf } from './prompt-mix.js';
import type { RequestOutcome } from './types.js';

export interface DrillRequest {
  route: string;
  stream: boolean;
  promptTokens: number;
  /** Simulated epoch ms of the scenario's start. */
  originMs: number;
  /** Aborts the request when the drill runs out of time. */
  signal: AbortSignal;
}

/** Skips that say the gateway stepped around a failing model (not a context window or unsupported field). */
const HEALTH_SKIPS = new Set(['breaker_open', 'cooling_down', 'rate_limit']);

/** Sends one request through the Switchboard (JSON or a stream read to its end) and says what happened. */
export async function sendRequest(sb: Switchboard, clock: Clock, req: DrillRequest): Promise<RequestOutcome> {
  const body = {
    messages: [{ role: 'user', content: promptOf(req.promptTokens) }],
    ...(req.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
  const started = clock.now();
  let metadata: ResultMetadata | undefined;
  let errorCode: string | undefined;
  try {
    if (req.stream) {
      const stream = await sb.stream(body, { route: req.route, signal: req.signal });
      metadata = stream.metadata;
      for await (const _chunk of stream) {
        // read to the end, as a client would
      }
    } else {
      metadata = (await sb.chat(body, { route: req.route, signal: req.signal })).metadata;
    }
  } catch (error) {
    const e = error as { code?: unknown; metadata?: ResultMetadata };
    errorCode = typeof e.code === 'string' ? e.code : 'internal_error';
    if (req.signal.aborted) errorCode = 'drill_stopped';
    metadata = e.metadata ?? metadata;
  }
  const latencyMs = clock.now() - started;
  return {
    route: req.route,
    stream: req.stream,
    promptTokens: req.promptTokens,
    startMs: started - req.originMs,
    latencyMs,
    ...(errorCode === undefined && metadata?.model !== undefined ? { model: metadata.model } : {}),
    ...(errorCode !== undefined ? { errorCode } : {}),
    attempts: (metadata?.attempts ?? []).map((a) => ({
      model: a.model,
      success: a.outcome === 'success',
      withdrawn: a.outcome === 'cancelled',
    })),
    skipped: (metadata?.skipped ?? []).filter((s) => HEALTH_SKIPS.has(s.reason)).map((s) => s.model),
    costUsd: (metadata?.costUsd ?? 0) + (metadata?.wastedCostUsd ?? 0),
    retries: metadata?.retries ?? 0,
    hedges: metadata?.hedges ?? 0,
    recoveries: metadata?.recoveries.length ?? 0,
  };
}
