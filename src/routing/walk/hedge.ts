import type { ModelConfig } from '../../config/types.js';
import type { Permit } from '../../resilience/circuit-breaker.js';
import { HedgeLost } from '../errors.js';
import type { Target } from '../types.js';
import { type AttemptOptions, type AttemptOutcome, runAttempt, type WalkScope } from './attempt.js';

export interface HedgeCandidate {
  model: ModelConfig;
  permit: Permit;
}

export interface HedgeRace<T> {
  /** The attempt to run, and to hedge if it is slow. */
  primary: AttemptOptions;
  /** How long the primary has before the hedge starts. */
  delayMs: number;
  /** The model to hedge with, with its permit; undefined when none can take it now. */
  pickHedge: () => HedgeCandidate | undefined;
  /** Disposes of a loser's value that arrived anyway. */
  discard: (value: T, target: Target) => void;
}

/**
 * Runs an attempt; if it has not succeeded after `delayMs`, starts `pickHedge()`'s model in parallel.
 * The first success wins and the other attempt is withdrawn (HedgeLost: no breaker verdict). If the
 * first to finish failed, the other is awaited.
 */
export async function raceWithHedge<T>(scope: WalkScope<T>, race: HedgeRace<T>): Promise<AttemptOutcome<T>> {
  const { deps, ctx } = scope;
  const { primary, delayMs } = race;
  const cancelPrimary = new AbortController();
  const primaryRun = runAttempt(scope, { ...primary, cancel: cancelPrimary.signal });
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

  const candidate = race.pickHedge();
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
  const hedgeRun = runAttempt(scope, {
    model: candidate.model,
    permit: candidate.permit,
    retry: 0,
    waitBeforeMs: 0,
    hedge: true,
    cancel: cancelHedge.signal,
  });
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
    if (loser.ok) race.discard(loser.value, loser.target);
    return a.o;
  }
  const b = (await other).o;
  if (b.ok || 'local' in b) return b;
  // Both failed: the walk decides on the primary's failure (the hedge model was marked tried when picked).
  return a.who === 'primary' ? a.o : b;
}
