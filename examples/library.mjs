// Fallback in-process, no gateway server: `node examples/library.mjs` (after `npm install`).
// Two simulated providers stand in for real ones; the primary is down (503), so the answer
// comes from the fallback, and the metadata says what happened.
import OpenAI from 'openai';
import { createSwitchboard, startMockProvider } from 'switchboard-gateway';

const primary = await startMockProvider({ name: 'primary-sim', fault: '503' });
const backup = await startMockProvider({ name: 'backup-sim', latencyMs: 30 });

const sb = createSwitchboard(
  {
    providers: {
      primary: { base_url: primary.baseUrl }, // real ones: { preset: deepseek, api_key: ${DEEPSEEK_API_KEY} }
      backup: { base_url: backup.baseUrl },
    },
    models: {
      'deepseek-chat': { provider: 'primary', price: { input: 0.27, output: 1.1 } },
      'glm-4-flash': { provider: 'backup', price: { input: 0, output: 0 } },
    },
    routes: { quality: ['deepseek-chat', 'glm-4-flash'] },
    retry: { max_retries: 1, base_delay_ms: 50 },
    logging: { level: 'warn' }, // fallbacks and failures are logged as JSON lines
  },
  { logger: false },
);

sb.events.on((event) => {
  if (event.type === 'fallback') console.log(`fallback: ${event.from} → ${event.to} (${event.reason})`);
});

// 1. The library API.
const { completion, metadata } = await sb.chat({
  model: 'quality',
  messages: [{ role: 'user', content: 'Hello!' }],
});
console.log(completion.choices[0].message.content);
console.log(
  `answered by ${metadata.model} after ${metadata.attempts.length} attempts, $${metadata.costUsd.toFixed(6)}`,
);

// 2. Streaming.
const stream = await sb.stream({
  model: 'quality',
  messages: [{ role: 'user', content: 'Stream, please.' }],
  stream: true,
});
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');
console.log(`\n(streamed by ${stream.metadata.model})`);

// 3. The official OpenAI SDK, with Switchboard as its fetch: fallback without a server.
const client = new OpenAI({ baseURL: 'http://switchboard.local/v1', apiKey: 'unused', fetch: sb.fetch });
const reply = await client.chat.completions.create({
  model: 'quality',
  messages: [{ role: 'user', content: 'Hi from the SDK' }],
});
console.log(`SDK: ${reply.choices[0].message.content}`);

await sb.close();
await Promise.all([primary.close(), backup.close()]);
