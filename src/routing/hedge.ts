import type { ModelConfig } from '../config/types.js';
import type { Permit } from '../resilience/circuit-breaker.js';
import { type AttemptOptions, type AttemptOutcome, type AttemptRunner, runAttempt } from './attempt.js';
import type { EngineDeps, Target } from './engine.js';
import { HedgeLost } from './errors.js';
import type { RequestContext } from './request-context.js';

export interface HedgeCandidate {
  model: ModelConfig;
  permit: Permit;
}

/**
 * Runs an attempt; if it has not succeeded after `delayMs`, starts `pickHedge()`'s model in parallel.
 * The first success wins and the other attempt is withdrawn (HedgeLost: no breaker verdict). If the
 * first to finish failed, the other is awaited. `discard` disposes of a loser's value that arrived anyway.
 */
export async function raceWithHedge<T>(
  deps: EngineDeps,
  ctx: RequestContext,
  primary: { model: ModelConfig; permit: Permit; options: AttemptOptions },
  delayMs: number,
  pickHedge: () => HedgeCandidate | undefined,
  run: AttemptRunner<T>,
  discard: (value: T, target: Target) => void,
): Promise<AttemptOutcome<T>> {
  const cancelPrimary = new AbortController();
  const primaryRun = runAttempt(
    deps,
    ctx,
    primary.model,
    primary.permit,
    { ...primary.options, cancel: cancelPrimary.signal },
    run,
  );
  const timer = new AbortController();
  const due = deps.clock.sleep(delayMs, timer.signal).then(
    () => true,
    () => false,
  );
  const first = await Promise.race([
    primaryRun.then((o) => ({ done: true as const, o })),
    due.then(() => ({ done: false as const })),
  ]);
  timer.abort();
  if (first.done) return first.o;

  const candidate = pickHedge();
  if (!candidate) return primaryRun;
  ctx.meta.hedges++;
  deps.bus.emit({
    type: 'hedge.started',
    requestId: ctx.requestId,
    model: primary.model.id,
    hedge: candidate.model.id,
    afterMs: delayMs,
  });
  const cancelHedge = new AbortController();
  const hedgeRun = runAttempt(
    deps,
    ctx,
    candidate.model,
    candidate.permit,
    { retry: 0, waitBeforeMs: 0, hedge: true, cancel: cancelHedge.signal },
    run,
  );
  const tagged = [
    primaryRun.then((o) => ({ who: 'primary' as const, o })),
    hedgeRun.then((o) => ({ who: 'hedge' as const, o })),
  ];
  const a = await Promise.race(tagged);
  const other = (a.who === 'primary' ? tagged[1] : tagged[0]) as Promise<{ o: AttemptOutcome<T> }>;
  if (a.o.ok || 'local' in a.o) {
    // A success wins; a local failure ends the request: either way the other attempt is withdrawn.
    (a.who === 'primary' ? cancelHedge : cancelPrimary).abort(new HedgeLost());
    const loser = (await other).o;
    if (loser.ok) discard(loser.value, loser.target);
    return a.o;
  }
  const b = (await other).o;
  if (b.ok || 'local' in b) return b;
  // Both failed: the walk decides on the primary's failure (the hedge model was marked tried when picked).
  return a.who === 'primary' ? a.o : b;
}
