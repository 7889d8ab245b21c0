import { describe, expect, it } from 'vitest';
import { baseDoc, issuesOf } from '../../test/support/config-docs.js';
import { DEFAULTS, parseConfig } from './index.js';

const parseWith = (state: unknown, env: Record<string, string> = {}) =>
  parseConfig({ ...baseDoc(), state }, { env });

describe('config: state', () => {
  it('is memory when absent or empty', () => {
    expect(parseConfig(baseDoc()).state).toEqual({ store: 'memory' });
    expect(parseWith(null).state).toEqual({ store: 'memory' });
    expect(parseWith({}).state).toEqual({ store: 'memory' });
    expect(parseWith({ store: 'memory' }).state).toEqual({ store: 'memory' });
    expect(DEFAULTS.state).toEqual({ store: 'memory', prefix: 'switchboard' });
  });

  it('redis: the url from ${REDIS_URL}, the prefix defaulting to switchboard', () => {
    expect(
      parseWith({ store: 'redis', url: '${REDIS_URL}' }, { REDIS_URL: 'redis://:pw@10.0.0.5:6380/2' }).state,
    ).toEqual({ store: 'redis', url: 'redis://:pw@10.0.0.5:6380/2', prefix: 'switchboard' });
    expect(parseWith({ store: 'redis', url: 'rediss://cache.internal', prefix: '{sb-eu}' }).state).toEqual({
      store: 'redis',
      url: 'rediss://cache.internal',
      prefix: '{sb-eu}',
    });
  });

  it('memory ignores a url (so one config file serves both)', () => {
    expect(parseWith({ store: 'memory', url: 'redis://localhost' }).state).toEqual({ store: 'memory' });
  });

  it.each([
    [
      { store: 'redis' },
      'state.url',
      'is required with store: redis (such as redis://127.0.0.1:6379 or ${REDIS_URL})',
    ],
    [
      { store: 'redis', url: '' },
      'state.url',
      'must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379',
    ],
    [
      { store: 'redis', url: 'http://user:secret@host' },
      'state.url',
      'must be a redis:// or rediss:// URL (the scheme is http)',
    ],
    [
      { store: 'redis', url: 'redis://h', prefix: 'a b' },
      'state.prefix',
      'must be a non-empty word without spaces, such as switchboard',
    ],
  ])('rejects %j', (value, path, message) => {
    expect(issuesOf(() => parseWith(value))).toEqual([{ path, message }]);
  });

  it('rejects an unknown store, naming the choices, and never quotes a url', () => {
    const [issue] = issuesOf(() => parseWith({ store: 'memcached' }));
    expect(issue?.path).toBe('state.store');
    expect(issue?.message).toContain('redis');
    const issues = issuesOf(() => parseWith({ store: 'redis', url: 'ftp://u:hunter22@h' }));
    expect(JSON.stringify(issues)).not.toContain('hunter22');
  });

  it('names a misspelt key', () => {
    const [issue] = issuesOf(() => parseWith({ stor: 'redis' }));
    expect(issue).toMatchObject({ path: 'state.stor' });
    expect(issue?.message).toContain('did you mean "store"?');
  });
});
