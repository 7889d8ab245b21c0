import type { SwitchboardConfig } from '../config/types.js';
import type { RequestOutcome, RouteFigures, Scenario, SimulatorCounts } from './types.js';

/** The value at percentile `p` (0-100) of `values`, nearest rank; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

function add(counts: Record<string, number>, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}

/** The figures of one route in one scenario, from what its requests did. */
export function routeFigures(
  config: SwitchboardConfig,
  scenario: Scenario,
  route: string,
  outcomes: readonly RequestOutcome[],
): RouteFigures {
  const own = outcomes.filter((o) => o.route === route);
  const answered = own.filter((o) => o.errorCode === undefined);
  const errors: Record<string, number> = {};
  const answeredBy: Record<string, number> = {};
  const attemptsByModel: Record<string, number> = {};
  for (const o of own) {
    if (o.errorCode !== undefined) add(errors, o.errorCode);
    if (o.model !== undefined && o.errorCode === undefined) add(answeredBy, o.model);
    for (const a of o.attempts) add(attemptsByModel, a.model);
  }
  const latencies = own.map((o) => o.latencyMs);
  const broken = (config.routes[route]?.models ?? []).filter((m) =>
    scenario.providers.includes(config.models[m]?.provider ?? ''),
  );
  const figures: RouteFigures = {
    route,
    requests: own.length,
    answered: answered.length,
    availabilityPct: own.length === 0 ? 100 : (answered.length / own.length) * 100,
    errors,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    costPer1kUsd: own.length === 0 ? 0 : (own.reduce((sum, o) => sum + o.costUsd, 0) / own.length) * 1000,
    answeredBy,
    attemptsByModel,
    retries: own.reduce((sum, o) => sum + o.retries, 0),
    hedges: own.reduce((sum, o) => sum + o.hedges, 0),
    recoveries: own.reduce((sum, o) => sum + o.recoveries, 0),
    brokenModels: broken,
  };
  const touched = own.some(
    (o) =>
      o.startMs >= scenario.faultStartMs &&
      o.startMs < scenario.faultEndMs &&
      (o.skipped.some((m) => broken.includes(m)) || o.attempts.some((a) => broken.includes(a.model))),
  );
  // Not applicable: the fault hits none of the route's models, or none it needed during the fault.
  if (broken.length === 0 || scenario.kind === 'baseline' || !touched) {
    figures.skippedAfterMs = null;
    figures.returnedAfterMs = null;
    return figures;
  }
  const skip = own.find(
    (o) => o.startMs >= scenario.faultStartMs && o.skipped.some((m) => broken.includes(m)),
  );
  if (skip) figures.skippedAfterMs = skip.startMs - scenario.faultStartMs;
  const back = own.find(
    (o) => o.startMs >= scenario.faultEndMs && o.attempts.some((a) => a.success && broken.includes(a.model)),
  );
  if (back) figures.returnedAfterMs = back.startMs - scenario.faultEndMs;
  return figures;
}

/**
 * The simulators' view, counted from the result metadata instead: attempts and full answers per model,
 * plus the gateway's own health probes (`probes`, from its `probe.*` events).
 */
export function countFromMetadata(
  outcomes: readonly RequestOutcome[],
  probes: { requests: Record<string, number>; answered: Record<string, number> } = {
    requests: {},
    answered: {},
  },
): SimulatorCounts {
  const requests: Record<string, number> = { ...probes.requests };
  const answered: Record<string, number> = { ...probes.answered };
  const withdrawn: Record<string, number> = {};
  for (const o of outcomes) {
    for (const a of o.attempts) {
      add(requests, a.model);
      if (a.success) add(answered, a.model);
      if (a.withdrawn) add(withdrawn, a.model);
    }
  }
  return { requests, answered, withdrawn };
}

/** Models whose counts differ between the simulators and the metadata ("model: simulators 12, metadata 11"). */
export function disagreements(simulators: SimulatorCounts, metadata: SimulatorCounts): string[] {
  const out: string[] = [];
  const models = new Set([
    ...Object.keys(simulators.requests),
    ...Object.keys(metadata.requests),
    ...Object.keys(simulators.answered),
    ...Object.keys(metadata.answered),
  ]);
  for (const model of [...models].sort()) {
    const sim = simulators.requests[model] ?? 0;
    const meta = metadata.requests[model] ?? 0;
    // A withdrawn attempt may have been cancelled before its request reached the simulator.
    const least = meta - (metadata.withdrawn?.[model] ?? 0);
    if (sim < least || sim > meta) {
      out.push(`${model}: simulators received ${sim} requests, the metadata shows ${meta} attempts`);
    }
    // A withdrawn attempt may also have been answered in full just before it was cancelled.
    const simAnswered = simulators.answered[model] ?? 0;
    const metaAnswered = metadata.answered[model] ?? 0;
    if (simAnswered < metaAnswered || simAnswered > metaAnswered + (metadata.withdrawn?.[model] ?? 0)) {
      out.push(
        `${model}: simulators answered ${simAnswered} requests, the metadata shows ${metaAnswered} answers`,
      );
    }
  }
  return out;
}
