import type { Clock } from '../../common/clock.js';
import { builtInContextWindow } from '../../config/context-windows.js';
import type { ModelConfig, SwitchboardConfig } from '../../config/types.js';
import { CircuitBreaker, type Permit } from '../../resilience/circuit-breaker.js';
import { Cooldowns } from '../../resilience/cooldowns.js';
import { RateWindow } from '../../resilience/rate-window.js';
import { sharedTally } from '../../resilience/shared-counter.js';
import type { EventBus } from '../events.js';
import type { SkipReason } from '../metadata.js';
import { adaptiveDeadlineMs } from './adaptive-deadline.js';
import { LatencyStats } from './latency-stats.js';
import { ProbeGate } from './probe-gate.js';
import { adaptiveTimeoutsOf } from './recovery-policy.js';
import type { RemoteStateEvent, SharedState } from './shared-state.js';

export type Gate = { permit: Permit } | { permit?: undefined; reason: SkipReason; untilMs?: number };

interface Limits {
  rpm?: RateWindow;
  tpm?: RateWindow;
}

/** One minute: the window of rpm and tpm limits. */
const MINUTE_MS = 60_000;

/**
 * What one Switchboard instance knows about each model: breakers, rate-limit cooldowns, rpm/tpm
 * windows, observed latency, and whether it accepts an assistant prefill. Nothing here is global.
 *
 * With a `SharedState`, breakers, cooldowns and rpm/tpm windows are the cluster's: local opens,
 * closes and cooldowns are published (never the ones learnt from others, so nothing echoes), the
 * other instances' are applied as they arrive, counts add the others' usage, and a half-open probe
 * goes out only from the instance that holds the cluster's claim. Every decision still reads local
 * memory only. Latency statistics stay per instance.
 */
export class ModelHealth {
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #cooldowns: Cooldowns;
  readonly #limits = new Map<string, Limits>();
  readonly #modelsByProvider = new Map<string, string[]>();
  readonly #noPrefill = new Set<string>();
  /** Context windows learnt from the upstreams' own errors (tokens). */
  readonly #learntWindows = new Map<string, number>();
  /** Time to first token of streams, per model (ms). */
  readonly ttft = new LatencyStats();
  /** Whole-answer latency of non-streaming requests, per model (ms). */
  readonly latency = new LatencyStats();
  readonly #shared: SharedState | undefined;
  readonly #probes: ProbeGate | undefined;
  readonly #probeTtlMs = new Map<string, number>();
  readonly #detachRemote: () => void;

  /**
   * @param shared the other instances of a cluster (none: this instance decides alone).
   */
  constructor(
    private readonly config: SwitchboardConfig,
    clock: Clock,
    bus: EventBus,
    shared?: SharedState,
  ) {
    this.#cooldowns = new Cooldowns(clock);
    this.#shared = shared;
    this.#probes = shared && new ProbeGate(shared, clock);
    for (const model of Object.values(config.models)) {
      const id = model.id;
      const breaker: CircuitBreaker = new CircuitBreaker(
        model.circuitBreaker,
        clock,
        (t) => {
          bus.emit({ type: 'breaker.transition', model: id, ...t });
          if (t.from === 'half_open') this.#probes?.settle(id);
          if (!shared || t.remote || t.to === 'half_open') return;
          const change = breaker.lastChange();
          if (change) shared.publishBreaker(id, change);
        },
        shared && sharedTally(shared, `breaker:${id}:failures`, model.circuitBreaker.windowMs),
      );
      this.#breakers.set(id, breaker);
      // The probe claim outlives the longest a probe can take to give its verdict.
      this.#probeTtlMs.set(id, Math.max(model.timeouts.attemptMs, model.timeouts.firstTokenMs));
      const limits: Limits = {};
      if (model.rpm !== undefined)
        limits.rpm = new RateWindow(model.rpm, clock, shared && sharedTally(shared, `rpm:${id}`, MINUTE_MS));
      if (model.tpm !== undefined)
        limits.tpm = new RateWindow(model.tpm, clock, shared && sharedTally(shared, `tpm:${id}`, MINUTE_MS));
      this.#limits.set(model.id, limits);
      const siblings = this.#modelsByProvider.get(model.provider) ?? [];
      siblings.push(model.id);
      this.#modelsByProvider.set(model.provider, siblings);
      if (!model.assistantPrefill) this.#noPrefill.add(model.id);
    }
    this.#detachRemote = shared ? shared.onRemote((event) => this.#applyRemote(event)) : () => {};
  }

  /** Stops listening to the other instances. */
  close(): void {
    this.#detachRemote();
  }

  breaker(model: string): CircuitBreaker {
    const breaker = this.#breakers.get(model);
    if (!breaker) throw new Error(`no breaker for model ${model}`);
    return breaker;
  }

  /**
   * Asks to send one attempt to `model`: a permit, or why not and until when. `tokens` is this
   * request's estimated size, checked against the model's tpm.
   */
  acquire(model: string, tokens = 0): Gate {
    const blocked = this.#blocked(model, tokens);
    if (blocked) return blocked;
    const breaker = this.breaker(model);
    const permit = breaker.tryAcquire();
    if (
      permit === 'probe' &&
      this.#probes &&
      !this.#probes.mayProbe(model, this.#probeTtlMs.get(model) ?? 0)
    ) {
      // Another instance may be probing: this one waits for the cluster's claim or its verdict.
      breaker.release(permit);
      return { reason: 'breaker_open' };
    }
    if (permit) return { permit };
    return { reason: 'breaker_open', untilMs: breaker.readyAtMs() };
  }

  /** Would `model` accept an attempt now? Does not take the probe slot. */
  isAvailable(model: string, tokens = 0): boolean {
    return !this.#blocked(model, tokens) && this.breaker(model).state !== 'open';
  }

  /** A rate-limit cooldown or a known rpm/tpm limit that keeps `model` out now, before its breaker is asked. */
  #blocked(model: string, tokens: number): Gate | undefined {
    const until = this.#cooldowns.until(model);
    if (until !== undefined) return { reason: 'cooling_down', untilMs: until };
    const limits = this.#limits.get(model);
    if (limits?.rpm?.wouldExceed(1)) return { reason: 'rate_limit', untilMs: limits.rpm.resetAtMs() };
    if (limits?.tpm?.wouldExceed(tokens)) return { reason: 'rate_limit', untilMs: limits.tpm.resetAtMs() };
    return undefined;
  }

  /** Counts a request against the model's rpm. */
  noteRequest(model: string): void {
    this.#limits.get(model)?.rpm?.add(1);
  }

  /** Counts tokens (prompt + completion) against the model's tpm. */
  noteTokens(model: string, tokens: number): void {
    if (tokens > 0) this.#limits.get(model)?.tpm?.add(tokens);
  }

  /** Records how long a successful attempt took to its first token (streams) or answer. */
  observe(model: string, stream: boolean, ms: number): void {
    (stream ? this.ttft : this.latency).record(model, ms);
  }

  /** The moving average used by the `fastest` strategy. */
  ewmaMs(model: string, stream: boolean): number | undefined {
    return (stream ? this.ttft : this.latency).ewmaMs(model);
  }

  percentileMs(model: string, stream: boolean, p: number): number | undefined {
    return (stream ? this.ttft : this.latency).percentileMs(model, p);
  }

  /**
   * Records a rate-limit cooldown (and shares it); the later deadline wins. Returns true if the
   * deadline moved.
   */
  coolDown(model: string, untilMs: number): boolean {
    const moved = this.#cooldowns.coolDown(model, untilMs);
    if (moved) this.#shared?.publishCooldown(model, untilMs);
    return moved;
  }

  cooldownUntil(model: string): number | undefined {
    return this.#cooldowns.until(model);
  }

  /** A connection-level failure: it counts against every other model served by the same provider. */
  providerConnectFailed(provider: string, exceptModel: string, reason: string): void {
    for (const model of this.#modelsByProvider.get(provider) ?? []) {
      if (model !== exceptModel) this.breaker(model).recordFailure(reason);
    }
  }

  acceptsPrefill(model: string): boolean {
    return !this.#noPrefill.has(model);
  }

  /** The model answered a prefilled continuation with a 400: from now on it gets a restart instead. */
  learnNoPrefill(model: string): void {
    this.#noPrefill.add(model);
  }

  /**
   * The model's context window in tokens: learnt from its own error (the upstream's word), else
   * configured, else built in for well-known models; undefined when unknown.
   */
  contextWindow(model: string): number | undefined {
    const config = this.config.models[model];
    return (
      this.#learntWindows.get(model) ??
      config?.contextWindow ??
      (config === undefined ? undefined : builtInContextWindow(config.upstreamModel))
    );
  }

  /** The upstream said how large the model's window is; returns whether that was news. */
  learnContextWindow(model: string, tokens: number): boolean {
    if (!Number.isSafeInteger(tokens) || tokens <= 0 || this.#learntWindows.get(model) === tokens)
      return false;
    this.#learntWindows.set(model, tokens);
    return true;
  }

  /**
   * The first-token limit of a stream on `model` for a prompt of `promptTokens`: configured, or
   * learnt from its p99 (adaptive_timeouts).
   */
  firstTokenLimitMs(model: ModelConfig, promptTokens?: number): number {
    return adaptiveDeadlineMs({
      configuredMs: model.timeouts.firstTokenMs,
      p99Ms: this.ttft.percentileMs(model.id, 99),
      samples: this.ttft.samples(model.id),
      ...(promptTokens === undefined ? {} : { promptTokens }),
      policy: adaptiveTimeoutsOf(model),
    });
  }

  /** The attempt limit of a non-streaming request on `model`: configured, or learnt when `json` is on. */
  attemptLimitMs(model: ModelConfig, promptTokens?: number): number {
    const policy = adaptiveTimeoutsOf(model);
    if (!policy.json) return model.timeouts.attemptMs;
    return adaptiveDeadlineMs({
      configuredMs: model.timeouts.attemptMs,
      p99Ms: this.latency.percentileMs(model.id, 99),
      samples: this.latency.samples(model.id),
      ...(promptTokens === undefined ? {} : { promptTokens }),
      policy,
    });
  }

  /** An active health probe of `model` succeeded: its breaker closes (and the close is shared). */
  probeSucceeded(model: string, reason: string): boolean {
    return this.breaker(model).recover(reason);
  }

  /**
   * An active health probe of `model` failed: its breaker stays open for at least `minHoldMs` more,
   * and the extension is shared so that no instance lets a user request probe meanwhile.
   */
  probeFailed(model: string, reason: string, minHoldMs: number): void {
    const breaker = this.breaker(model);
    if (!breaker.hold(reason, minHoldMs)) return;
    const change = breaker.lastChange();
    if (change) this.#shared?.publishBreaker(model, change);
  }

  /** A change from another instance: applied without being published again. */
  #applyRemote(event: RemoteStateEvent): void {
    if (!Object.hasOwn(this.config.models, event.model)) return;
    if (event.type === 'cooldown') {
      this.#cooldowns.coolDown(event.model, event.untilMs);
      return;
    }
    this.#probes?.forget(event.model);
    this.breaker(event.model).applyRemote(event.change);
  }
}
