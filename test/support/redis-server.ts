import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './ports.js';

export { freePort };

/** Is a `redis-server` binary on the PATH? */
export const redisServerInstalled =
  spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** In CI (`CI=true`) the Redis tests must run: .ci/run installs redis-server. */
export const redisRequired = process.env.CI === 'true';

if (!redisServerInstalled && !redisRequired) {
  // biome-ignore lint/suspicious/noConsole: says once why the Redis tests are skipped, and how to run them
  console.warn(
    'redis-server is not installed: the shared-state tests with Redis are skipped. ' +
      'Install it (Debian/Ubuntu: apt-get install -y redis-server) to run them.',
  );
}

/** Resolves once something accepts TCP connections on the port (Redis answers PING). */
async function waitForPong(port: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('error', () => resolve(false));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer on port ${port}`);
}

/**
 * A throwaway `redis-server` on 127.0.0.1 (no persistence), which a test can stop (as an outage:
 * SIGKILL) and start again on the same port.
 */
export class RedisServer {
  readonly port: number;
  #child: ChildProcess | undefined;

  private constructor(port: number) {
    this.port = port;
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.resume();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server on its port. */
  async resume(): Promise<void> {
    this.#child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitForPong(this.port);
  }

  /** Sends one command (RESP) and resolves with the first line of the reply. */
  command(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.port, '127.0.0.1');
      socket.once('error', reject);
      socket.once('connect', () =>
        socket.write(
          `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
        ),
      );
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().split('\r\n')[0] ?? '');
      });
    });
  }

  /** Kills the server at once, as an outage would. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  close(): Promise<void> {
    return this.kill();
  }
}
