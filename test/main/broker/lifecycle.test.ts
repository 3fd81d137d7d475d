import { lstat, mkdir, readFile, stat } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointFile } from '../../../main/services/broker/paths.js';
import { URI_SERVER_LIMITS } from '../../../main/services/broker/uri-server.js';
import { errorCode, HAS_KEYRING } from '../../helpers/signin-fixture.js';
import { startBrokerFixture, type BrokerFixture } from '../../helpers/broker-fixture.js';
import { pathOf, rawRequest } from '../../helpers/broker-http.js';

// The broker's own life: it cleans up on every way a terminal ends it, closes connections that
// send their headers too slowly (or not at all), caps concurrent connections, keeps its socket
// out of shared folders, and `broker rotate` does not claim a rotation a silent broker missed.

let fx: BrokerFixture;
beforeAll(async () => {
  if (HAS_KEYRING) fx = await startBrokerFixture();
}, 120_000);
afterAll(async () => fx?.close());

async function endpointSocket(): Promise<string> {
  return (JSON.parse(await readFile(endpointFile(fx.dataDir), 'utf8')) as { socket: string }).socket;
}

/** A raw connection that writes `text` (part of a request) and reports when and how it ended. */
function slowClient(port: number, text: string): Promise<{ closedAfterMs: number; received: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket: Socket = connect(port, '127.0.0.1', () => {
      if (text) socket.write(text);
    });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('close', () => resolve({ closedAfterMs: performance.now() - started, received }));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error);
    });
  });
}

describe.skipIf(!HAS_KEYRING)('broker lifecycle', () => {
  it.each(['SIGHUP', 'SIGTERM', 'SIGINT'] as const)(
    '(e) serve removes its socket and endpoint file on %s',
    async (signal) => {
      const broker = await fx.serve();
      const socket = await endpointSocket();
      expect((await lstat(socket)).isSocket()).toBe(true);
      broker.child.kill(signal);
      const result = await broker.done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`Broker stopped (${signal})`);
      expect(await stat(endpointFile(fx.dataDir)).catch(() => 'gone')).toBe('gone');
      expect(await lstat(socket).catch(() => 'gone')).toBe('gone');
    },
  );

  it('(d) closes a connection that sends half a header, or nothing, within 10 s; caps concurrent connections', async () => {
    const broker = await fx.serve();
    try {
      const half = `GET ${pathOf(await fx.url('demo')).slice(0, 30)}`;
      const flood = Array.from({ length: URI_SERVER_LIMITS.maxConnections + 40 }, (_, i) =>
        slowClient(fx.port, i % 2 ? '' : half),
      );
      const measured = await Promise.all(flood);
      const times = measured.map((m) => m.closedAfterMs).sort((a, b) => a - b);
      // Past the cap, connections are closed at once; the rest when the header timeout runs out.
      const atOnce = times.filter((t) => t < 1000).length;
      expect(atOnce).toBeGreaterThanOrEqual(40);
      const slowest = times.at(-1) ?? Infinity;
      expect(slowest).toBeLessThanOrEqual(10_000);
      expect(measured.filter((m) => m.closedAfterMs >= 1000).every((m) => m.received.startsWith('HTTP/1.1 408'))).toBe(
        true,
      );
      console.log(
        `slow headers: ${times.length} connections (${atOnce} over the cap of ${URI_SERVER_LIMITS.maxConnections} closed at once); ` +
          `the rest closed with 408 after ${Math.round(times[atOnce] ?? 0)}-${Math.round(slowest)} ms`,
      );
      // Once they are gone, the owner is served again.
      expect((await rawRequest(fx.port, pathOf(await fx.url('demo')))).status).toBe(200);
    } finally {
      await broker.stop();
    }
  }, 60_000);

  it('broker rotate fails with a code when a broker is registered but does not answer, and changes nothing', async () => {
    const url = await fx.url('demo');
    const broker = await fx.serve();
    try {
      broker.child.kill('SIGSTOP');
      const rotate = await fx.cli(['broker', 'rotate', 'demo']);
      expect(rotate.code).not.toBe(0);
      expect(errorCode(rotate)).toBe('BROKER_UNAVAILABLE');
      expect(rotate.stderr).toContain(`(process ${broker.child.pid}) but did not answer`);
      expect(rotate.stderr).not.toContain('no longer works');
      expect(rotate.stdout).toBe('');
      broker.child.kill('SIGCONT');
      expect((await rawRequest(fx.port, pathOf(url))).status, 'the old URL still works: nothing rotated').toBe(200);
      const rotated = (await fx.ok(['broker', 'rotate', 'demo'])).stdout.trim();
      expect(rotated).not.toBe(url);
      expect((await rawRequest(fx.port, pathOf(url))).status).toBe(403);
    } finally {
      broker.child.kill('SIGCONT');
      await broker.stop();
    }
  }, 60_000);

  it('puts the socket of a data folder with a long path in a 0700 folder of the user, never in a shared one', async () => {
    const long = join(fx.home, 'a-data-folder-whose-path-is-far-too-long-for-a-unix-socket', 'x'.repeat(40));
    const home = join(fx.home, 'h');
    await mkdir(home, { mode: 0o755 });
    const env = { ALICLOUD_SIGNIN_HOME: long, XDG_RUNTIME_DIR: '', XDG_CACHE_HOME: '', HOME: home };
    const running = fx.cli(['serve'], { env, timeoutMs: 60_000 });
    let stderr = '';
    running.child.stderr?.on('data', (chunk: string) => (stderr += chunk));
    await expect.poll(() => stderr, { timeout: 20_000 }).toContain('Broker running');
    try {
      const status = JSON.parse((await fx.ok(['broker', 'status', '--json'], { env })).stdout) as {
        running: boolean;
        socket: string;
      };
      expect(status.running).toBe(true);
      expect(status.socket).toMatch(new RegExp(`^${home}/\\.cache/alicloud-signin-run/[0-9a-f]{16}\\.sock$`));
      const folder = await lstat(join(home, '.cache', 'alicloud-signin-run'));
      expect(folder.mode & 0o777).toBe(0o700);
      expect(folder.uid).toBe(process.getuid?.());
      expect((await lstat(status.socket)).isSocket()).toBe(true);
    } finally {
      running.child.kill('SIGTERM');
      await running;
    }
  }, 60_000);
});
