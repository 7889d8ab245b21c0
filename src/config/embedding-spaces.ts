import { indexPath } from './path.js';
import { findPreset } from './presets.js';
import { asRecord, asString, isAbsent, type RawRecord, recordEntries } from './raw.js';
import type { ConfigIssue } from './types.js';

/**
 * Vector-space safety, checked when the config loads. A model that declares `embedding: { space,
 * dimensions }` is an embedding model; any other is a chat model. Vectors from two spaces cannot share
 * an index, so:
 * - a route is an embeddings route when its models declare `embedding:`, and then every one must, in
 *   one space with one dimension count (the same model on another provider or region); a route
 *   mixing spaces, or chat and embedding models, is refused, naming both models;
 * - a model's `fallbacks` follow the same rule, the model itself heading the chain;
 * - an embedding model must sit on a provider whose wire serves embeddings (openai, gemini).
 * Runs on the unvalidated document and skips what has the wrong shape (the schema reports that).
 */
export function checkEmbeddingSpaces(root: RawRecord, issues: ConfigIssue[]): void {
  const models = asRecord(root.models);
  if (models === undefined) return;
  const specs = new Map<string, Spec | undefined>();
  for (const [id, model] of recordEntries(models)) specs.set(id, specOf(model));
  checkWires(root, models, specs, issues);
  for (const [id, model] of recordEntries(models)) {
    if (!Array.isArray(model.fallbacks)) continue;
    const entries = model.fallbacks.map((entry, i) => ({
      model: asString(entry),
      at: indexPath(`models.${id}.fallbacks`, i),
    }));
    checkChain([{ model: id, at: `models.${id}` }, ...entries], specs, issues);
  }
  for (const [id, route] of Object.entries(asRecord(root.routes) ?? {})) {
    const path = Array.isArray(route) ? `routes.${id}` : `routes.${id}.models`;
    const chain = Array.isArray(route) ? route : asRecord(route)?.models;
    if (!Array.isArray(chain)) continue;
    const entries = chain.map((entry, i) => {
      const at = indexPath(path, i);
      return typeof entry === 'string'
        ? { model: entry, at }
        : { model: asString(asRecord(entry)?.model), at: `${at}.model` };
    });
    checkChain(entries, specs, issues);
  }
  const defaultRoute = asString(root.default_route);
  const defaultChain = defaultRoute === undefined ? undefined : asRecord(root.routes)?.[defaultRoute];
  const defaultModels = Array.isArray(defaultChain) ? defaultChain : asRecord(defaultChain)?.models;
  const first: unknown = Array.isArray(defaultModels) ? defaultModels[0] : undefined;
  const firstId = typeof first === 'string' ? first : asString(asRecord(first)?.model);
  if (firstId !== undefined && specs.get(firstId) !== undefined) {
    issues.push({
      path: 'default_route',
      message: `"${defaultRoute}" is an embeddings route; the default route serves chat requests that name no model`,
    });
  }
}

interface Spec {
  space: string;
  dimensions: unknown;
}

function specOf(model: RawRecord): Spec | undefined {
  const embedding = asRecord(model.embedding);
  const space = asString(embedding?.space);
  return space === undefined || space === '' ? undefined : { space, dimensions: embedding?.dimensions };
}

/** Only the OpenAI-compatible and Gemini wires serve embeddings. */
function checkWires(
  root: RawRecord,
  models: RawRecord,
  specs: ReadonlyMap<string, Spec | undefined>,
  issues: ConfigIssue[],
): void {
  const providers = asRecord(root.providers);
  for (const [id, model] of recordEntries(models)) {
    if (specs.get(id) === undefined) continue;
    const providerId = asString(model.provider);
    const provider = providerId === undefined ? undefined : asRecord(providers?.[providerId]);
    if (provider === undefined) continue;
    const preset = asString(provider.preset);
    const type =
      asString(provider.type) ?? (isAbsent(preset) ? 'openai' : (findPreset(preset ?? '')?.type ?? 'openai'));
    if (type !== 'openai' && type !== 'gemini') {
      issues.push({
        path: `models.${id}.embedding`,
        message: `provider "${providerId}" speaks ${type}, which serves no embeddings (openai and gemini providers do)`,
      });
    }
  }
}

/** One chain (a route's, or a model and its fallbacks): all chat models, or all of one space. */
function checkChain(
  entries: ReadonlyArray<{ model: string | undefined; at: string }>,
  specs: ReadonlyMap<string, Spec | undefined>,
  issues: ConfigIssue[],
): void {
  const known = entries.filter(
    (e): e is { model: string; at: string } => e.model !== undefined && specs.has(e.model),
  );
  const head = known.find((e) => specs.get(e.model) !== undefined);
  if (head === undefined) return; // a chat chain
  const headSpec = specs.get(head.model) as Spec;
  for (const entry of known) {
    if (entry === head) continue;
    const spec = specs.get(entry.model);
    if (spec === undefined) {
      issues.push({
        path: entry.at,
        message: `"${entry.model}" is a chat model (it declares no embedding:) but "${head.model}" is an embedding model; a chain is either all embedding models of one space or all chat models`,
      });
    } else if (spec.space !== headSpec.space) {
      issues.push({
        path: entry.at,
        message: `"${entry.model}" produces vectors of space "${spec.space}" but "${head.model}" produces "${headSpec.space}"; vectors of two spaces cannot share an index, so an embeddings chain may only fall back within one space`,
      });
    } else if (
      typeof spec.dimensions === 'number' &&
      typeof headSpec.dimensions === 'number' &&
      spec.dimensions !== headSpec.dimensions
    ) {
      issues.push({
        path: entry.at,
        message: `"${entry.model}" declares ${spec.dimensions} dimensions but "${head.model}" declares ${headSpec.dimensions} in the same space "${spec.space}"; one space has one dimension count`,
      });
    }
  }
}
