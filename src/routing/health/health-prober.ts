import { type Clock, roundMs } from '../../common/clock.js';
import { LinkedAbort } from '../../common/linked-abort.js';
import type { ModelConfig, SwitchboardConfig } from '../../config/types.js';
import { classifyNetworkError } from '../../providers/classify-network.js';
import { LocalFailure } from '../../providers/local-failure.js';
import type { ChatProvider, ChatRequestBody } from '../../providers/types.js';
import { UpstreamError } from '../../providers/upstream-error.js';
import { costUsd } from '../cost.js';
import { AttemptTimeout } from '../errors.js';
import type { EventBus, SwitchboardEvent } from '../events.js';
import type { ModelHealth } from './model-health.js';
import { healthProbeOf } from './recovery-policy.js';
import type { SharedState } from './shared-state.js';

/** What the prober needs: the instance's models, adapters, health, events, time and cluster. */
export interface HealthProberDeps {
  config: SwitchboardConfig;
  providers: ReadonlyMap<string, ChatProvider>;
  health: ModelHealth;
  bus: EventBus;
  clock: Clock;
  /** With shared state, one instance of the cluster probes a model per interval. */
  shared?: SharedState;
}

/** The probe's body: one word, one token back. Never user content. */
function probeBody(upstreamModel: string): ChatRequestBody {
  return { model: upstreamModel, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 };
}

/** The claim key of the active probe of a model (apart from the half-open user probe's claim). */
const claimKey = (model: string) => `health-probe:${model}`;

/** Probes and their cost during one outage of a model, for the close's reason (the ledger's breaker row). */
interface OutageTally {
  probes: number;
  costUsd: number;
}

/**
 * Active health probes. While a model's breaker is open (or half-open), every `health_probe.interval_ms`
 * the gateway sends it a one-token "ping" through the model's own adapter: a success closes the
 * breaker, so traffic returns within one interval of the provider healing, and no user request pays
 * for a failed probe (a failure keeps the breaker open past the next probe). With shared state each
 * interval's probe is claimed cluster-wide (the claim lives one interval and is not handed back), so
 * the cluster probes a model at most once per interval. A model with `health_probe.enabled: false` is
 * left to the breaker's own half-open probe. Runs on the injected clock; `close()` stops it.
 */
export class HealthProber {
  readonly #deps: HealthProberDeps;
  readonly #timers = new Map<string, () => void>();
  readonly #tallies = new Map<string, OutageTally>();
  readonly #stop = new AbortController();
  readonly #detach: () => void;
  #closed = false;

  constructor(deps: HealthProberDeps) {
    this.#deps = deps;
    this.#detach = deps.bus.on(this.#onEvent);
  }

  /** Models with a probe scheduled (for tests and the status page). */
  scheduled(): string[] {
    return [...this.#timers.keys()];
  }

  /** Stops every timer and aborts probes in flight. */
  close(): void {
    this.#closed = true;
    this.#detach();
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
    this.#stop.abort(new Error('health prober closed'));
  }

  readonly #onEvent = (event: SwitchboardEvent): void => {
    if (event.type !== 'breaker.transition') return;
    if (event.to === 'closed') {
      this.#timers.get(event.model)?.();
      this.#timers.delete(event.model);
      this.#tallies.delete(event.model);
    } else if (event.to === 'open') this.#schedule(event.model);
  };

  #schedule(model: string): void {
    if (this.#closed || this.#timers.has(model)) return;
    const config = this.#deps.config.models[model];
    if (!config) return;
    const policy = healthProbeOf(config);
    if (!policy.enabled) return;
    const cancel = this.#deps.clock.setTimer(policy.intervalMs, () => {
      this.#timers.delete(model);
      // #tick never rejects by design; a bug in it must still not become an unhandled rejection.
      this.#tick(config, policy.intervalMs).catch(() => this.#timers.delete(model));
    });
    this.#timers.set(model, cancel);
  }

  async #tick(model: ModelConfig, intervalMs: number): Promise<void> {
    if (this.#closed || this.#deps.health.breaker(model.id).state === 'closed') return;
    const { shared, bus } = this.#deps;
    // A placeholder keeps a breaker change during the claim or the probe from scheduling a second timer.
    this.#timers.set(model.id, () => {});
    let again = true;
    try {
      const claimed = shared === undefined || (await shared.claimProbe(claimKey(model.id), intervalMs));
      if (this.#closed) return;
      if (!claimed) bus.emit({ type: 'probe.skipped', model: model.id, reason: 'claimed_elsewhere' });
      else again = await this.#probe(model, intervalMs);
    } finally {
      this.#timers.delete(model.id);
    }
    if (again && this.#deps.health.breaker(model.id).state !== 'closed') this.#schedule(model.id);
  }

  /** Sends one probe; returns whether probing should go on (false: the probe cannot tell). */
  async #probe(model: ModelConfig, intervalMs: number): Promise<boolean> {
    const { providers, health, bus, clock } = this.#deps;
    const provider = providers.get(model.provider);
    if (!provider) return false;
    const tally = this.#tallies.get(model.id) ?? { probes: 0, costUsd: 0 };
    this.#tallies.set(model.id, tally);
    tally.probes++;
    bus.emit({ type: 'probe.started', model: model.id, provider: provider.id });
    health.noteRequest(model.id);
    const startedAt = clock.now();
    const timeoutMs = Math.min(model.timeouts.attemptMs, intervalMs);
    const attempt = new LinkedAbort(clock, this.#stop.signal);
    attempt.arm(timeoutMs, () => new AttemptTimeout('attempt', timeoutMs));
    try {
      const completion = await provider.complete({
        body: probeBody(model.upstreamModel),
        upstreamModel: model.upstreamModel,
        maxOutputTokens: 1,
        signal: attempt.signal,
      });
      const cost = costUsd(completion.usage, model.price);
      tally.costUsd += cost;
      const durationMs = roundMs(clock.now() - startedAt);
      bus.emit({
        type: 'probe.succeeded',
        model: model.id,
        provider: provider.id,
        durationMs,
        costUsd: cost,
        promptTokens: completion.usage?.prompt_tokens ?? 0,
        completionTokens: completion.usage?.completion_tokens ?? 0,
      });
      health.noteTokens(model.id, completion.usage?.total_tokens ?? 0);
      const spent = `${tally.probes} probe${tally.probes === 1 ? '' : 's'}, $${roundUsd(tally.costUsd)}`;
      health.probeSucceeded(model.id, `health probe succeeded (${spent})`);
      return false;
    } catch (thrown) {
      if (this.#closed) return false;
      const error =
        thrown instanceof AttemptTimeout
          ? new UpstreamError({ kind: 'transient', code: 'timeout', providerMessage: thrown.message })
          : classifyNetworkError(thrown);
      const durationMs = roundMs(clock.now() - startedAt);
      if (error instanceof LocalFailure) {
        bus.emit({
          type: 'probe.failed',
          model: model.id,
          provider: provider.id,
          durationMs,
          errorCode: 'local',
        });
        return false; // the probe cannot be sent: the breaker's own half-open probe takes over
      }
      bus.emit({
        type: 'probe.failed',
        model: model.id,
        provider: provider.id,
        durationMs,
        ...(error.status === undefined ? {} : { status: error.status }),
        errorKind: error.kind,
        errorCode: error.code,
      });
      // A refusal of the probe itself (a 400: the model wants other parameters) says nothing about health.
      if (error.kind === 'client') return false;
      // Open past the next probe: a user request never gets to probe while the prober does.
      health.probeFailed(model.id, `health probe failed: ${error.code}`, intervalMs * 2);
      return true;
    } finally {
      attempt.dispose();
    }
  }
}

function roundUsd(usd: number): string {
  return usd.toFixed(6);
}
