import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/ledger/index.js';
import { REPLY } from '../providers/anthropic-support.js';
import { parsePrometheus } from '../support/prometheus.js';
import { GATEWAY_KEY, startFaces } from './endpoint-faces.js';
import { readSse } from './read-sse.js';

const bearer = { 'content-type': 'application/json', authorization: `Bearer ${GATEWAY_KEY}` };

async function setup() {
  const ledger = join(mkdtempSync(join(tmpdir(), 'switchboard-endpoints-')), 'ledger.db');
  return startFaces(
    { down: { fault: '503' }, b: {}, claude: {}, cut: { fault: 'stream-cut:2' } },
    {
      routes: { main: ['down', 'b'], toClaude: ['down', 'claude'], cutOnly: ['cut'] },
      ledger: { path: ledger },
    },
  );
}

describe('the new endpoints go through the whole engine', () => {
  it('a Responses stream that breaks unrecoverably ends with response.failed, never response.completed', async () => {
    const faces = await setup();
    const response = await fetch(`${faces.gateway.url}/v1/responses`, {
      method: 'POST',
      headers: bearer,
      body: JSON.stringify({ model: 'cutOnly', input: 'Hi', stream: true }),
    });
    expect(response.status).toBe(200);
    const events = await readSse(response);
    const types = events.map((e) => e.event);
    expect(types).not.toContain('response.completed');
    expect(types.at(-1)).toBe('response.failed');
    expect(events.at(-1)?.data).toMatchObject({
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'stream_interrupted' } },
    });
  });

  it('metadata headers, events, metrics, ledger rows and /report for Responses and Messages', async () => {
    const faces = await setup();
    const responses = await fetch(`${faces.gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { ...bearer, 'x-request-id': 'resp-1' },
      body: JSON.stringify({ model: 'main', input: 'Hi' }),
    });
    expect(responses.status).toBe(200);
    expect(responses.headers.get('x-switchboard-model')).toBe('b');
    expect(responses.headers.get('x-switchboard-fallbacks')).toBe('1');
    expect(responses.headers.get('x-request-id')).toBe('resp-1');
    const messages = await fetch(`${faces.gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': GATEWAY_KEY, 'x-request-id': 'msg-1' },
      body: JSON.stringify({
        model: 'toClaude',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    });
    expect(((await messages.json()) as { content: unknown }).content).toEqual([
      { type: 'text', text: REPLY },
    ]);
    expect(messages.headers.get('x-switchboard-model')).toBe('claude');

    const fallbacks = faces.events.filter((e) => e.type === 'fallback');
    expect(fallbacks.map((e) => (e as { requestId: string }).requestId)).toEqual(['resp-1', 'msg-1']);

    const metrics = await fetch(`${faces.gateway.url}/metrics`, { headers: bearer });
    const samples = parsePrometheus(await metrics.text());
    const requests = samples.filter((s) => s.name === 'switchboard_requests_total');
    expect(requests.reduce((sum, s) => sum + s.value, 0)).toBe(2);

    const ledger = faces.gateway.switchboard.ledger;
    const everything = { sinceMs: 0, untilMs: Number.MAX_SAFE_INTEGER };
    await expect
      .poll(async () => (await ledger?.query(everything))?.requests.map((r) => r.requestId).sort())
      .toEqual(['msg-1', 'resp-1']);
    const report = (await (
      await fetch(`${faces.gateway.url}/report?since=1h`, { headers: bearer })
    ).json()) as Report;
    expect(report).toMatchObject({ requests: 2, answered: 2, rescued: 2 });
  });
});
