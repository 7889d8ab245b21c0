import type { Random } from '../common/clock.js';
import { SqliteLedgerStore } from '../ledger/index.js';

/**
 * The default prompt mix, when no ledger is given: half short chat turns, a long tail of documents.
 * Weights in percent, sizes in prompt tokens.
 */
export const DEFAULT_PROMPT_MIX: ReadonlyArray<{ percent: number; tokens: number }> = [
  { percent: 50, tokens: 400 },
  { percent: 30, tokens: 2_000 },
  { percent: 15, tokens: 8_000 },
  { percent: 4, tokens: 30_000 },
  { percent: 1, tokens: 150_000 },
];

/** Prompt sizes to draw from, per route (a route without recorded requests uses every route's). */
export interface PromptSizes {
  source: 'ledger' | 'default';
  all: readonly number[];
  byRoute: ReadonlyMap<string, readonly number[]>;
}

export function defaultPromptSizes(): PromptSizes {
  const all = DEFAULT_PROMPT_MIX.flatMap(({ percent, tokens }) => Array<number>(percent).fill(tokens));
  return { source: 'default', all, byRoute: new Map() };
}

/** A ledger with no request to learn prompt sizes from, or one that cannot be read. */
export class PromptSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromptSourceError';
  }
}

/** The prompt token counts the ledger recorded, per route. Throws PromptSourceError. */
export async function ledgerPromptSizes(path: string): Promise<PromptSizes> {
  let store: SqliteLedgerStore | undefined;
  let requests: ReadonlyArray<{ route: string | null; promptTokens: number }>;
  try {
    store = SqliteLedgerStore.open(path, { create: false });
    ({ requests } = await store.query({ sinceMs: 0, untilMs: Number.MAX_SAFE_INTEGER }));
  } catch (error) {
    throw new PromptSourceError(`cannot read the ledger ${path}: ${(error as Error).message}`);
  } finally {
    await store?.close();
  }
  const all: number[] = [];
  const byRoute = new Map<string, number[]>();
  for (const row of requests) {
    if (!(row.promptTokens > 0)) continue;
    all.push(row.promptTokens);
    if (row.route === null) continue;
    const list = byRoute.get(row.route) ?? [];
    list.push(row.promptTokens);
    byRoute.set(row.route, list);
  }
  if (all.length === 0)
    throw new PromptSourceError(`the ledger ${path} holds no request with a prompt token count`);
  return { source: 'ledger', all, byRoute };
}

export function sizesFor(sizes: PromptSizes, route: string): readonly number[] {
  const own = sizes.byRoute.get(route);
  return own !== undefined && own.length > 0 ? own : sizes.all;
}

/** `count` prompt sizes drawn from `sizes`. */
export function drawSizes(sizes: readonly number[], count: number, random: Random): number[] {
  return Array.from({ length: count }, () => sizes[Math.floor(random() * sizes.length)] ?? 1);
}

/** A user message of about `tokens` prompt tokens (the engine and the simulators count 4 characters a token). */
export function promptOf(tokens: number): string {
  const unit = 'drill ';
  const chars = Math.max(1, tokens) * 4;
  return unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);
}
