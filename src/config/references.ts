import { checkEmbeddingSpaces } from './embedding-spaces.js';
import { childPath, indexPath } from './path.js';
import { findPreset, PRESET_NAMES, presetForType } from './presets.js';
import { asRecord, asString, isAbsent, type RawRecord, recordEntries } from './raw.js';
import { nameList } from './suggest.js';
import type { ConfigIssue } from './types.js';

/**
 * Cross-reference checks: names that must point at something configured, chains without repeats,
 * names that must not collide. Runs on the unvalidated document and skips whatever has the wrong
 * shape (the schema reports that), so every problem is found in one pass.
 */
export function checkReferences(document: unknown): ConfigIssue[] {
  const root = asRecord(document);
  if (root === undefined) return [];
  const issues: ConfigIssue[] = [];
  checkProviders(root, issues);
  checkModels(root, issues);
  checkRoutes(root, issues);
  checkTracePropagation(root, issues);
  checkEmbeddingSpaces(root, issues);
  return issues;
}

function configured(kind: string, names: Iterable<string>): string {
  const list = [...names];
  return list.length === 0 ? `no ${kind} are configured` : `configured ${kind}: ${nameList(list)}`;
}

function checkProviders(root: RawRecord, issues: ConfigIssue[]): void {
  const known = `known presets: ${PRESET_NAMES.join(', ')}`;
  for (const [id, provider] of recordEntries(root.providers)) {
    const preset = asString(provider.preset);
    if (preset !== undefined && preset !== '' && findPreset(preset) === undefined) {
      issues.push({ path: `providers.${id}.preset`, message: `unknown preset "${preset}" (${known})` });
    }
    const type = asString(provider.type);
    const typePreset = presetForType(type === 'anthropic' || type === 'gemini' ? type : undefined);
    if (isAbsent(provider.base_url) && isAbsent(provider.preset) && typePreset === undefined) {
      issues.push({ path: `providers.${id}`, message: `needs base_url or a preset (${known})` });
    }
    const presetType = preset === undefined ? undefined : (findPreset(preset)?.type ?? 'openai');
    if (
      type !== undefined &&
      presetType !== undefined &&
      type !== presetType &&
      isAbsent(provider.base_url)
    ) {
      issues.push({
        path: `providers.${id}.type`,
        message: `is ${type} but preset "${preset}" speaks ${presetType}; set base_url to the endpoint that speaks ${type}, or drop one of the two`,
      });
    }
  }
}

/** `telemetry.otlp.propagate` as a list names configured providers. */
function checkTracePropagation(root: RawRecord, issues: ConfigIssue[]): void {
  const propagate = asRecord(asRecord(root.telemetry)?.otlp)?.propagate;
  const providers = asRecord(root.providers);
  if (!Array.isArray(propagate) || providers === undefined) return;
  propagate.forEach((entry, i) => {
    if (typeof entry === 'string' && entry !== '' && !Object.hasOwn(providers, entry))
      issues.push({
        path: indexPath('telemetry.otlp.propagate', i),
        message: `unknown provider "${entry}" (${configured('providers', Object.keys(providers))})`,
      });
  });
}

function checkModels(root: RawRecord, issues: ConfigIssue[]): void {
  const providers = asRecord(root.providers);
  const models = asRecord(root.models);
  const modelIds = new Set(Object.keys(models ?? {}));
  for (const [id, model] of recordEntries(models)) {
    const provider = asString(model.provider);
    if (
      providers !== undefined &&
      provider !== undefined &&
      provider !== '' &&
      !Object.hasOwn(providers, provider)
    ) {
      issues.push({
        path: `models.${id}.provider`,
        message: `unknown provider "${provider}" (${configured('providers', Object.keys(providers))})`,
      });
    }
    if (Array.isArray(model.fallbacks)) {
      const entries = chainEntries(model.fallbacks, `models.${id}.fallbacks`, false);
      checkChain(entries, modelIds, issues, id);
    }
  }
}

function checkRoutes(root: RawRecord, issues: ConfigIssue[]): void {
  const models = asRecord(root.models);
  const modelIds = new Set(Object.keys(models ?? {}));
  const routes = asRecord(root.routes);
  for (const [id, route] of Object.entries(routes ?? {})) {
    if (models !== undefined && modelIds.has(id)) {
      issues.push({
        path: `routes.${id}`,
        message: `route name "${id}" is also a model name; a client asking for "${id}" would be ambiguous`,
      });
    }
    if (models === undefined) continue;
    if (Array.isArray(route)) checkChain(chainEntries(route, `routes.${id}`, true), modelIds, issues);
    else {
      const chain = asRecord(route)?.models;
      if (Array.isArray(chain)) {
        checkChain(chainEntries(chain, `routes.${id}.models`, true), modelIds, issues);
      }
    }
  }
  const defaultRoute = asString(root.default_route);
  if (
    defaultRoute !== undefined &&
    defaultRoute !== '' &&
    !(routes !== undefined && Object.hasOwn(routes, defaultRoute))
  ) {
    issues.push({
      path: 'default_route',
      message: `unknown route "${defaultRoute}" (${configured('routes', Object.keys(routes ?? {}))})`,
    });
  }
}

interface ChainEntry {
  model: string;
  /** Where the entry sits in the chain: `routes.balanced.models[1]`. */
  position: string;
  /** Where its model name is written: the position, or `routes.balanced.models[1].model`. */
  at: string;
}

/**
 * The entries of a chain that name a model. A route's entry may also be written `{ model, weight }`
 * (`weighted`); a model's fallbacks are bare names only. Entries of the wrong shape are skipped.
 */
function chainEntries(entries: readonly unknown[], path: string, weighted: boolean): ChainEntry[] {
  return entries.flatMap((entry, index) => {
    const position = indexPath(path, index);
    if (typeof entry === 'string') return entry === '' ? [] : [{ model: entry, position, at: position }];
    const model = weighted ? asString(asRecord(entry)?.model) : undefined;
    return model === undefined || model === '' ? [] : [{ model, position, at: childPath(position, 'model') }];
  });
}

/**
 * A chain's entries must be configured models, each once. For a model's fallbacks, `owner` is the model
 * itself, which heads its chain.
 */
function checkChain(
  entries: readonly ChainEntry[],
  modelIds: ReadonlySet<string>,
  issues: ConfigIssue[],
  owner?: string,
): void {
  const seen = new Map<string, string>();
  if (owner !== undefined) seen.set(owner, '');
  for (const { model, position, at } of entries) {
    if (!modelIds.has(model)) {
      issues.push({ path: at, message: `unknown model "${model}" (${configured('models', modelIds)})` });
      continue;
    }
    const first = seen.get(model);
    if (first === '') {
      issues.push({
        path: at,
        message: `"${model}" is the model itself; a model cannot fall back to itself`,
      });
    } else if (first !== undefined) {
      issues.push({ path: at, message: `"${model}" is already in the chain at ${first}` });
    } else {
      seen.set(model, position);
    }
  }
}
