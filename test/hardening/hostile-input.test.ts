import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/common/clock.js';
import { type Gateway, startGateway } from '../../src/gateway.js';
import {
  type OpenAICompatibleOptions,
  OpenAICompatibleProvider,
} from '../../src/providers/openai-compatible/provider.js';
import type {
  ChatCompletion,
  ChatProvider,
  ProviderRequest,
  StreamBatch,
} from '../../src/providers/types.js';
import { RequestFailedError } from '../../src/routing/errors.js';
import type { SwitchboardEvent } from '../../src/routing/events.js';
import { toOpenAIError } from '../../src/server/wire/to-openai-error.js';
import { createSwitchboard } from '../../src/switchboard.js';
import { ModelStats } from '../../src/telemetry/model-stats.js';
import { configFor, hello, onCleanup, startMocks, streamText } from '../support/engine.js';

/** The body: content nested 5,000 arrays deep (about 10 KB), which JSON.stringify cannot encode. */
const DEEP = 5_000;
const hostileText = `{"model":"main","messages":[{"role":"user","content":${'['.repeat(DEEP)}"x"${']'.repeat(DEEP)}}]}`;

/** A breaker that would open after three failures: three hostile requests used to open every one. */
const overrides = {
  circuit_breaker: { failure_threshold: 3, window_ms: 60_000, cooldown_ms: 30_000, max_cooldown_ms: 60_000 },
};

interface StatusBody {
  models: Record<string, { breaker: { state: string }; last_error: unknown }>;
}

async function setup() {
  const { mocks, close } = await startMocks({ a: {}, b: {} });
  onCleanup(close);
  const requests = () => mocks.a!.stats().requests + mocks.b!.stats().requests;
  return { mocks, requests, config: configFor(mocks, overrides) };
}

describe('a client whose own body cannot be sent trips nothing', () => {
  it('over HTTP: a 400 naming the limit every time, no upstream call, every breaker closed, no last_error', async () => {
    const { requests, config } = await setup();
    const gateway: Gateway = await startGateway(config, { logger: false, port: 0 });
    onCleanup(() => gateway.close(1_000));
    const post = (body: string) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    for (let i = 0; i < 10; i++) {
      const res = await post(hostileText);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { type: string; code: string; message: string } };
      expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'request_limit_exceeded' });
      expect(body.error.message).toMatch(/nested deeper than 64 levels/);
    }
    expect(requests()).toBe(0);
    const status = (await (await fetch(`${gateway.url}/status`)).json()) as StatusBody;
    for (const model of Object.values(status.models)) {
      expect(model.breaker.state).toBe('closed');
      expect(model.last_error).toBeNull();
    }
    const healthy = await post(JSON.stringify(hello()));
    expect(healthy.status).toBe(200);
    expect(requests()).toBe(1);
  });

  it('through the library: sb.chat and sb.stream refuse it with a 400, and the breakers stay closed', async () => {
    const { requests, config } = await setup();
    const sb = createSwitchboard(config, { logger: false });
    onCleanup(() => sb.close());
    const body = JSON.parse(hostileText);
    for (let i = 0; i < 10; i++) {
      const error = await sb.chat(body).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'request_limit_exceeded',
        status: 400,
        param: 'messages[0].content',
      });
      const streamError = await sb.stream({ ...body, stream: true }).catch((e: unknown) => e);
      expect(streamError).toMatchObject({ code: 'request_limit_exceeded', status: 400 });
    }
    expect(requests()).toBe(0);
    for (const id of ['a', 'b']) expect(sb.health.breaker(id).state).toBe('closed');
    const { completion } = await sb.chat(hello());
    expect(completion.choices[0]?.message).toMatchObject({ content: 'Answer from a.' });
  });
});

describe("a body the adapter cannot encode is the caller's fault, not the upstream's", () => {
  it('a BigInt in the body: a 400, no breaker verdict, no attempt failure, no retry', async () => {
    const { requests, config } = await setup();
    const sb = createSwitchboard(config, { logger: false });
    onCleanup(() => sb.close());
    const events: string[] = [];
    sb.events.on((e) => events.push(e.type));
    for (let i = 0; i < 5; i++) {
      const error = await sb.chat(hello('main', { seed: 10n })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestFailedError);
      expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
    }
    expect(requests()).toBe(0);
    expect(events).not.toContain('attempt.failed');
    expect(events).not.toContain('retry.scheduled');
    expect(events).not.toContain('fallback');
    for (const id of ['a', 'b'])
      expect(sb.health.breaker(id).snapshot()).toMatchObject({ state: 'closed', failuresInWindow: 0 });
  });
});

/**
 * An adapter with a bug (a TypeError of its own, before or in the middle of a stream): the failure is
 * the gateway's, so no breaker, retry, fallback or model statistic may hear of it.
 */
class BuggyAdapter extends OpenAICompatibleProvider {
  constructor(
    options: OpenAICompatibleOptions,
    private readonly where: 'complete' | 'mid-stream',
  ) {
    super(options);
  }
  override async complete(request: ProviderRequest): Promise<ChatCompletion> {
    if (this.where === 'complete') throw new TypeError("Cannot read properties of undefined (reading 'x')");
    return super.complete(request);
  }
  override async stream(request: ProviderRequest): Promise<AsyncIterableIterator<StreamBatch>> {
    const batches = await super.stream(request);
    const where = this.where;
    return (async function* () {
      let n = 0;
      for await (const batch of batches) {
        for (let i = 0; i < batch.length; i++) {
          if (where === 'mid-stream' && batch[i]?.type === 'chunk' && ++n === 3) {
            yield batch.slice(0, i + 1); // the third chunk reaches the caller, then the bug
            throw new TypeError('a bug');
          }
        }
        yield batch;
      }
    })();
  }
}

describe('the gateway failing during an attempt is not the model failing', () => {
  async function buggy(where: 'complete' | 'mid-stream') {
    const { mocks, requests, config } = await setup();
    const providers = new Map<string, ChatProvider>([
      ['p-a', new BuggyAdapter({ id: 'p-a', baseUrl: mocks.a!.baseUrl }, where)],
      ['p-b', new OpenAICompatibleProvider({ id: 'p-b', baseUrl: mocks.b!.baseUrl })],
    ]);
    const sb = createSwitchboard(config, { logger: false, providers });
    onCleanup(() => sb.close());
    const events: SwitchboardEvent[] = [];
    sb.events.on((e) => events.push(e));
    const stats = new ModelStats(sb.config, sb.health, systemClock);
    stats.attach(sb.events);
    return { sb, mocks, requests, events, stats };
  }

  it('a throw before the call: a 500 internal_error, no retry, no fallback, no breaker verdict', async () => {
    const { sb, requests, events, stats } = await buggy('complete');
    for (let i = 0; i < 5; i++) {
      const error = await sb.chat(hello()).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'internal_error', status: 500 });
      expect(toOpenAIError(error)).toMatchObject({
        status: 500,
        body: { error: { code: 'internal_error', message: expect.not.stringContaining('Cannot read') } },
      });
    }
    expect(requests()).toBe(0);
    const types = events.map((e) => e.type);
    for (const type of ['attempt.failed', 'retry.scheduled', 'fallback', 'breaker.transition'] as const)
      expect(types).not.toContain(type);
    expect(events.filter((e) => e.type === 'request.failed')).toHaveLength(5);
    expect(sb.health.breaker('a').snapshot()).toMatchObject({ state: 'closed', failuresInWindow: 0 });
    expect(stats.snapshot().models.a?.last_error).toBeNull();
  });

  it('a throw in the middle of a stream: the stream ends with an error, the breaker hears nothing', async () => {
    const { sb, mocks, events, stats } = await buggy('mid-stream');
    for (let i = 0; i < 4; i++) {
      const result = await sb.stream(hello('main', { stream: true }));
      const error = await streamText(result).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'internal_error', status: 500 });
    }
    expect(mocks.a!.stats().requests).toBe(4);
    expect(mocks.b!.stats().requests).toBe(0); // no recovery on another model
    expect(events.map((e) => e.type)).not.toContain('breaker.transition');
    expect(sb.health.breaker('a').snapshot()).toMatchObject({ state: 'closed', failuresInWindow: 0 });
    expect(stats.snapshot().models.a?.last_error).toBeNull();
  });
});
