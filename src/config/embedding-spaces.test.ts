import { describe, expect, it } from 'vitest';
import { baseDoc, type FileDoc, issuesOf } from '../../test/support/config-docs.js';
import { parseConfig } from './index.js';

const SMALL = { space: 'openai-text-embedding-3-small', dimensions: 1536 };
const GEMINI = { space: 'gemini-embedding-001', dimensions: 3072 };

/** baseDoc plus embedding models: `small-a`/`small-b` (one space, two providers) and `gem` (another). */
function doc(): FileDoc {
  const d = baseDoc();
  d.providers.openai = { base_url: 'https://api.openai.com/v1', api_key: 'sk-openai' };
  d.providers.azure = { base_url: 'https://eu.example.com/openai/v1', api_key: 'sk-azure' };
  d.providers.google = { type: 'gemini', api_key: 'g-key' };
  d.providers.claude = { type: 'anthropic', api_key: 'a-key' };
  d.models['small-a'] = { provider: 'openai', model: 'text-embedding-3-small', embedding: SMALL };
  d.models['small-b'] = { provider: 'azure', model: 'text-embedding-3-small', embedding: SMALL };
  d.models.gem = { provider: 'google', model: 'gemini-embedding-001', embedding: GEMINI };
  return d;
}

const load = (d: FileDoc) => parseConfig(d, { env: {} });

describe('embedding: in the config', () => {
  it('resolves a model’s space and dimensions, and accepts a same-space chain', () => {
    const d = doc();
    d.routes.search = ['small-a', 'small-b'];
    d.models['small-a']!.fallbacks = ['small-b'];
    const config = load(d);
    expect(config.models['small-a']?.embedding).toEqual(SMALL);
    expect(config.models['deepseek-chat']?.embedding).toBeUndefined();
    expect(config.routes.search?.models).toEqual(['small-a', 'small-b']);
  });

  it.each([
    [
      'a route mixing spaces, naming both models',
      (d: FileDoc) => {
        d.routes.search = ['small-a', 'gem'];
      },
      'routes.search[1]',
      '"gem" produces vectors of space "gemini-embedding-001" but "small-a" produces "openai-text-embedding-3-small"; vectors of two spaces cannot share an index, so an embeddings chain may only fall back within one space',
    ],
    [
      'a long-form route mixing spaces',
      (d: FileDoc) => {
        d.routes.search = { models: [{ model: 'gem' }, { model: 'small-b', weight: 2 }] };
      },
      'routes.search.models[1].model',
      '"small-b" produces vectors of space "openai-text-embedding-3-small" but "gem" produces "gemini-embedding-001"; vectors of two spaces cannot share an index, so an embeddings chain may only fall back within one space',
    ],
    [
      'a chat model on an embeddings route',
      (d: FileDoc) => {
        d.routes.search = ['small-a', 'deepseek-chat'];
      },
      'routes.search[1]',
      '"deepseek-chat" is a chat model (it declares no embedding:) but "small-a" is an embedding model; a chain is either all embedding models of one space or all chat models',
    ],
    [
      'an embedding model on a chat route',
      (d: FileDoc) => {
        d.routes.quality = ['glm-5.1', 'small-a'];
      },
      'routes.quality[0]',
      '"glm-5.1" is a chat model (it declares no embedding:) but "small-a" is an embedding model; a chain is either all embedding models of one space or all chat models',
    ],
    [
      'an embedding model falling back to another space',
      (d: FileDoc) => {
        d.models['small-a']!.fallbacks = ['gem'];
      },
      'models.small-a.fallbacks[0]',
      '"gem" produces vectors of space "gemini-embedding-001" but "small-a" produces "openai-text-embedding-3-small"; vectors of two spaces cannot share an index, so an embeddings chain may only fall back within one space',
    ],
    [
      'a chat model falling back to an embedding model',
      (d: FileDoc) => {
        d.models['deepseek-chat']!.fallbacks = ['small-a'];
      },
      'models.deepseek-chat',
      '"deepseek-chat" is a chat model (it declares no embedding:) but "small-a" is an embedding model; a chain is either all embedding models of one space or all chat models',
    ],
    [
      'one space with two dimension counts',
      (d: FileDoc) => {
        d.models['small-b']!.embedding = { ...SMALL, dimensions: 512 };
        d.routes.search = ['small-a', 'small-b'];
      },
      'routes.search[1]',
      '"small-b" declares 512 dimensions but "small-a" declares 1536 in the same space "openai-text-embedding-3-small"; one space has one dimension count',
    ],
    [
      'an embeddings route as the default route',
      (d: FileDoc) => {
        d.routes.search = { models: ['small-a', 'small-b'] };
        d.default_route = 'search';
      },
      'default_route',
      '"search" is an embeddings route; the default route serves chat requests that name no model',
    ],
    [
      'an embedding model on a wire that serves none',
      (d: FileDoc) => {
        d.models.claude = { provider: 'claude', embedding: SMALL };
      },
      'models.claude.embedding',
      'provider "claude" speaks anthropic, which serves no embeddings (openai and gemini providers do)',
    ],
  ])('refuses %s', (_name, change, path, message) => {
    const d = doc();
    change(d);
    expect(issuesOf(() => load(d))).toEqual([{ path, message }]);
  });

  it('the default route, unless named, is the first chat route', () => {
    const d = doc();
    d.routes = { search: ['small-a', 'small-b'], quality: ['glm-5.1'] };
    expect(load(d).defaultRoute).toBe('quality');
    d.routes = { search: ['small-a'] };
    expect(load(d).defaultRoute).toBeUndefined();
  });

  it.each([
    [{ space: '', dimensions: 8 }, 'models.small-a.embedding.space'],
    [{ space: 'x', dimensions: 0 }, 'models.small-a.embedding.dimensions'],
    [{ space: 'x' }, 'models.small-a.embedding.dimensions'],
    [{ space: 'x', dimensions: 8, size: 3 }, 'models.small-a.embedding.size'],
  ])('checks the shape of embedding: %j', (embedding, path) => {
    const d = doc();
    d.models['small-a']!.embedding = embedding;
    expect(issuesOf(() => load(d)).map((i) => i.path)).toContain(path);
  });
});
