import type { ModelConfig, SwitchboardConfig } from '../config/types.js';
import { routeProviders } from './scenarios.js';
import type { Finding } from './types.js';

/** A fallback this many times its primary's cost per request is worth a finding. */
export const COSTLY_RATIO = 3;
/** Completion tokens assumed per request when pricing the prompt mix (the engine's own default). */
const COMPLETION_TOKENS = 256;

const pct = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;
const tokens = (n: number) => n.toLocaleString('en-US');
const code = (s: string) => `\`${s}\``;

function modelsOf(config: SwitchboardConfig, route: string): ModelConfig[] {
  return (config.routes[route]?.models ?? []).map((id) => config.models[id]).filter((m) => m !== undefined);
}

/** Share of `sizes` larger than every window of `models` (a model without a window takes anything). */
function shareBeyond(
  models: readonly ModelConfig[],
  sizes: readonly number[],
): { share: number; largest: number } {
  const windows = models.map((m) => m.contextWindow ?? Number.POSITIVE_INFINITY);
  const largest = Math.max(...windows);
  const beyond = sizes.filter((s) => s > largest).length;
  return { share: sizes.length === 0 ? 0 : beyond / sizes.length, largest };
}

/**
 * Prompts that no model of the route can take when one provider is down (context windows against
 * the prompt sizes), and prompts no model can take at all.
 */
export function contextWindowFindings(
  config: SwitchboardConfig,
  route: string,
  sizes: readonly number[],
  source: 'ledger' | 'default',
): Finding[] {
  const models = modelsOf(config, route);
  const what = source === 'ledger' ? 'recorded prompts' : 'prompts of the default mix';
  const findings: Finding[] = [];
  const healthy = shareBeyond(models, sizes);
  if (healthy.share > 0) {
    findings.push({
      kind: 'context-window',
      severity: 'warn',
      route,
      text: `${code(route)}: ${pct(healthy.share)} of ${what} exceed every window of the route (largest ${tokens(healthy.largest)} tokens), even with every provider up`,
    });
  }
  for (const provider of routeProviders(config, route)) {
    const remaining = models.filter((m) => m.provider !== provider);
    if (remaining.length === 0) continue;
    const down = shareBeyond(remaining, sizes);
    if (down.share > healthy.share) {
      findings.push({
        kind: 'context-window',
        severity: 'warn',
        route,
        text: `${code(route)} with ${code(provider)} down: ${pct(down.share)} of ${what} exceed every remaining window (largest ${tokens(down.largest)} tokens)`,
      });
    }
  }
  return findings;
}

function requestCostUsd(model: ModelConfig, sizes: readonly number[]): number | undefined {
  if (!model.price || sizes.length === 0) return undefined;
  const meanPrompt = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  return (meanPrompt * model.price.inputUsdPer1M + COMPLETION_TOKENS * model.price.outputUsdPer1M) / 1e6;
}

/** A route whose costliest fallback costs many times its primary per request, at the prompt mix. */
export function costlyFallbackFindings(
  config: SwitchboardConfig,
  route: string,
  sizes: readonly number[],
): Finding[] {
  const [primary, ...rest] = modelsOf(config, route);
  if (!primary) return [];
  const base = requestCostUsd(primary, sizes);
  if (base === undefined) return [];
  let worst: { model: ModelConfig; cost: number } | undefined;
  for (const model of rest) {
    const cost = requestCostUsd(model, sizes);
    if (cost !== undefined && (!worst || cost > worst.cost)) worst = { model, cost };
  }
  if (!worst || worst.cost === 0) return [];
  const per1k = `$${(worst.cost * 1000).toFixed(2)} per 1,000 requests`;
  if (base === 0) {
    return [
      {
        kind: 'costly-fallback',
        severity: 'info',
        route,
        text: `${code(route)}: its primary ${code(primary.id)} is free; its fallback ${code(worst.model.id)} costs ${per1k} at the prompt mix`,
      },
    ];
  }
  const ratio = worst.cost / base;
  if (ratio < COSTLY_RATIO) return [];
  return [
    {
      kind: 'costly-fallback',
      severity: 'warn',
      route,
      text: `${code(route)}: its fallback ${code(worst.model.id)} costs ${ratio.toFixed(1)}× its primary ${code(primary.id)} per request (${per1k} at the prompt mix)`,
    },
  ];
}

/** Models of one route on one provider: one outage removes them all. */
export function sharedProviderFindings(config: SwitchboardConfig, route: string): Finding[] {
  const byProvider = new Map<string, string[]>();
  for (const model of modelsOf(config, route)) {
    byProvider.set(model.provider, [...(byProvider.get(model.provider) ?? []), model.id]);
  }
  const findings: Finding[] = [];
  for (const [provider, models] of byProvider) {
    if (models.length < 2) continue;
    findings.push({
      kind: 'shared-provider',
      severity: 'warn',
      route,
      text: `${code(route)}: ${models.map(code).join(' and ')} are both on ${code(provider)}, so one outage of ${code(provider)} removes ${models.length === 2 ? 'both' : 'all of them'}`,
    });
  }
  return findings;
}

/** A route whose every model sits on one provider or on a pair of providers. */
export function darkRouteFindings(config: SwitchboardConfig, route: string): Finding[] {
  const providers = routeProviders(config, route);
  if (providers.length === 1) {
    return [
      {
        kind: 'dark-pair',
        severity: 'warn',
        route,
        text: `${code(route)} goes dark when ${code(providers[0] as string)} is down: every model of the route is on it`,
      },
    ];
  }
  if (providers.length === 2) {
    return [
      {
        kind: 'dark-pair',
        severity: 'warn',
        route,
        text: `${code(route)} goes dark when ${code(providers[0] as string)} and ${code(providers[1] as string)} are down together: every model of the route is on one of them`,
      },
    ];
  }
  return [];
}

/** A hedge that cannot fire before the attempt it would hedge has timed out. */
export function hedgeTimingFindings(config: SwitchboardConfig, route: string): Finding[] {
  const hedge = config.routes[route]?.hedge;
  if (hedge?.afterMs === undefined || hedge.afterPercentile !== undefined) return [];
  const attemptMs = Math.min(...modelsOf(config, route).map((m) => m.timeouts.attemptMs));
  if (hedge.afterMs < attemptMs) return [];
  return [
    {
      kind: 'idle-hedge',
      severity: 'warn',
      route,
      text: `${code(route)}: its hedge starts after ${hedge.afterMs} ms, but its attempts time out after ${attemptMs} ms: the hedge never has room to act`,
    },
  ];
}
