import { startMockProvider } from '../mock/index.js';

import type { MockProtocol } from '../mock/types.js';

export interface MockCommandOptions {
  protocol: MockProtocol;
  port: number;
  host: string;
  latencyMs: number;
  tokensPerSec: number;
  fault: string;
  seed: number;
  name: string;
}

export async function runMock(options: MockCommandOptions): Promise<void> {
  let mock: Awaited<ReturnType<typeof startMockProvider>>;
  try {
    mock = await startMockProvider(options);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  console.log(
    [
      `Simulated provider "${options.name}" on ${mock.url} (fault: ${options.fault})`,
      `  base_url for a config: ${mock.baseUrl}`,
      `  change the fault: curl -s -X POST ${mock.url}/__fault -d '{"fault":"503"}'`,
      `  counts and log:   curl -s ${mock.url}/__stats`,
    ].join('\n'),
  );
  const stop = async () => {
    await mock.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
