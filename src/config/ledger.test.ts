import { describe, expect, it } from 'vitest';
import { baseDoc, issuesOf } from '../../test/support/config-docs.js';
import { DEFAULTS, parseConfig } from './index.js';

const parseWith = (ledger: unknown, env: Record<string, string> = {}) =>
  parseConfig({ ...baseDoc(), ledger }, { env });

describe('config: ledger', () => {
  it('is absent (undefined) when the file has no ledger key, or an empty one', () => {
    expect(parseConfig(baseDoc()).ledger).toBeUndefined();
    expect(parseConfig(baseDoc())).not.toHaveProperty('ledger');
    expect(parseWith(null).ledger).toBeUndefined();
  });

  it.each([['off'], [false], ['false'], ['${LEDGER}']])('%s turns it off', (value) => {
    expect(parseWith(value, { LEDGER: 'off' }).ledger).toBe('off');
  });

  it('fills defaults: ./switchboard.db, 90 days, no content', () => {
    expect(parseWith({}).ledger).toEqual({
      path: './switchboard.db',
      retentionDays: 90,
      storeContent: false,
    });
    expect(DEFAULTS.ledger).toEqual({ path: './switchboard.db', retentionDays: 90, storeContent: false });
  });

  it('reads path, retention_days and store_content: false (numbers may come from ${ENV})', () => {
    const ledger = {
      path: '/var/lib/switchboard/ledger.db',
      retention_days: '${DAYS}',
      store_content: false,
    };
    expect(parseWith(ledger, { DAYS: '30' }).ledger).toEqual({
      path: '/var/lib/switchboard/ledger.db',
      retentionDays: 30,
      storeContent: false,
    });
  });

  it('rejects store_content: true as not supported yet', () => {
    expect(issuesOf(() => parseWith({ store_content: true }))).toEqual([
      {
        path: 'ledger.store_content',
        message:
          'true is not supported yet: the ledger records how requests were answered, never prompts or completions',
      },
    ]);
  });

  it.each([
    ['on', 'ledger', 'must be `off`, or a mapping with path, retention_days and store_content'],
    [5, 'ledger', 'must be `off`, or a mapping with path, retention_days and store_content'],
    [{ retention_days: 0 }, 'ledger.retention_days', 'must be at least 1'],
    [{ path: '' }, 'ledger.path', 'must not be empty'],
  ])('rejects %j', (value, path, message) => {
    expect(issuesOf(() => parseWith(value))).toEqual([{ path, message }]);
  });

  it('names a misspelt key', () => {
    const [issue] = issuesOf(() => parseWith({ pth: './x.db' }));
    expect(issue).toMatchObject({ path: 'ledger.pth' });
    expect(issue?.message).toContain('did you mean "path"?');
  });
});
