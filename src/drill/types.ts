/** The shapes of a drill: its scenarios, what one request did, and the figures and findings. */

export type ScenarioKind = 'baseline' | 'down' | 'hang' | 'rate-limit' | 'stream-cut' | 'flap' | 'pair';

/** Sets `fault` (a simulator fault spec) on a provider's simulator `atMs` into the scenario. */
export interface FaultChange {
  atMs: number;
  provider: string;
  fault: string;
}

/** When things happen in every scenario, in simulated ms from its start. */
export interface Timeline {
  /** Healthy traffic before the fault. */
  warmMs: number;
  /** How long the fault lasts. */
  faultMs: number;
  /** Healthy traffic after the fault, to see traffic return. */
  tailMs: number;
  /** Requests start evenly over warm + fault + tail. */
  spanMs: number;
}

export interface Scenario {
  /** `baseline`, `down:deepseek`, `pair:deepseek+zhipu`, … */
  id: string;
  kind: ScenarioKind;
  /** The providers the fault hits. */
  providers: readonly string[];
  /** In words: "deepseek answers 503 for 60 s". */
  description: string;
  changes: readonly FaultChange[];
  /** The fault is in force from faultStartMs to faultEndMs (the flap is off for its middle third). */
  faultStartMs: number;
  faultEndMs: number;
}

/** What one drill request did, times in simulated ms. */
export interface RequestOutcome {
  route: string;
  stream: boolean;
  promptTokens: number;
  /** From the scenario's start. */
  startMs: number;
  latencyMs: number;
  /** The model that answered (result metadata), when one did. */
  model?: string;
  /** The user-visible error code when none did (`all_models_failed`, `deadline_exceeded`, …). */
  errorCode?: string;
  /** Attempts per model, from the result metadata (`withdrawn`: cancelled by the engine, e.g. a hedge that lost). */
  attempts: ReadonlyArray<{ model: string; success: boolean; withdrawn: boolean }>;
  /** Models the request skipped because a breaker was open or a cooldown ran (not context windows). */
  skipped: readonly string[];
  costUsd: number;
  retries: number;
  hedges: number;
  recoveries: number;
}

/** What the simulators saw in one scenario, per configured model. */
export interface SimulatorCounts {
  /** Chat requests received. */
  requests: Record<string, number>;
  /** Requests answered in full with a 200. */
  answered: Record<string, number>;
  /**
   * Counted from the metadata only: attempts the engine withdrew (a hedge that lost, a stream it
   * closed), which may or may not have reached the simulator before they were cancelled.
   */
  withdrawn?: Record<string, number>;
}

export interface RouteFigures {
  route: string;
  requests: number;
  answered: number;
  /** answered / requests × 100. */
  availabilityPct: number;
  /** User-visible errors by code. */
  errors: Record<string, number>;
  latencyP50Ms: number;
  latencyP99Ms: number;
  costPer1kUsd: number;
  /** Which models answered (result metadata), and how often. */
  answeredBy: Record<string, number>;
  /** Attempts per model (result metadata). */
  attemptsByModel: Record<string, number>;
  retries: number;
  hedges: number;
  recoveries: number;
  /** The route's models the fault hits. */
  brokenModels: string[];
  /**
   * From the fault's start until a request skipped a broken model (undefined: never; null: not
   * applicable, as the fault hit none of the route's models or none it needed while it lasted).
   */
  skippedAfterMs?: number | null;
  /** From the fault's end until a broken model answered again (undefined: not within the drill; null: n/a). */
  returnedAfterMs?: number | null;
}

export interface ScenarioResult {
  scenario: Scenario;
  routes: RouteFigures[];
  /**
   * The simulators' counts per model, and the same counted from the result metadata plus the
   * gateway's own health probes (`probes`, sent while a breaker was open; no request's metadata has them).
   */
  simulators: SimulatorCounts;
  metadata: SimulatorCounts;
  probes: { requests: Record<string, number>; answered: Record<string, number> };
  /** Models whose simulator counts differ from the metadata's. */
  disagreements: string[];
  /** Retries or hedges the retry budget refused. */
  budgetRefusals: number;
  /** Requests the drill stopped at --max-seconds. */
  stopped: number;
}

export type FindingKind =
  | 'context-window'
  | 'costly-fallback'
  | 'shared-provider'
  | 'dark-pair'
  | 'idle-hedge'
  | 'idle-retry'
  | 'below-target'
  | 'slow'
  | 'not-simulated'
  | 'disagreement'
  | 'stopped';

export interface Finding {
  kind: FindingKind;
  /** `warn`: a risk to act on; `info`: worth knowing. */
  severity: 'warn' | 'info';
  route?: string;
  /** One sentence a person reads first. */
  text: string;
}

export interface DrillReport {
  findings: Finding[];
  /** Scenario results, baseline first. */
  results: ScenarioResult[];
  routes: string[];
  /** Where the prompt sizes came from. */
  prompts: { source: 'ledger' | 'default'; count: number };
  requestsPerRoute: number;
  /** Simulated ms per real ms. */
  speedup: number;
  timeline: Timeline;
  minAvailabilityPct: number;
  /** A route of a scenario whose availability is below the minimum. */
  belowTarget: Array<{ scenario: string; route: string; availabilityPct: number }>;
  realSeconds: number;
}
