// Shared by the broker benchmarks: the demo site, a fresh data dir, one signed-in profile `demo`,
// and `alicloud-signin serve` from the built CLI on a free port. Needs the real keyring:
//   scripts/with-keyring.sh node bench/broker-uri.mjs
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { register } from 'tsx/esm/api';

register();
const { buildCli, CLI_OUTFILE } = await import('../scripts/build-cli.mjs');
const { startFixture, customProfileArgs } = await import('../test/helpers/signin-fixture.ts');

export { CLI_OUTFILE };

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function setup() {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('run inside scripts/with-keyring.sh');
  if (process.env.SKIP_CLI_BUILD !== '1') await buildCli();
  const fx = await startFixture();
  const port = await freePort();
  fx.env.ALICLOUD_SIGNIN_BROKER_PORT = String(port);
  const ok = async (args) => {
    const result = await fx.cli(args);
    if (result.code !== 0) throw new Error(`${args.join(' ')}: ${result.stderr}`);
    return result;
  };
  await ok(customProfileArgs(fx.provider, 'demo'));
  await ok(['login', 'demo']);
  let broker;
  return {
    fx,
    port,
    ok,
    env: { ...process.env, ...fx.env },
    async startBroker() {
      broker = spawn(process.execPath, [CLI_OUTFILE, 'serve'], {
        env: { ...process.env, ...fx.env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      broker.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
      for (let i = 0; i < 200 && !stderr.includes('Broker running'); i += 1)
        await new Promise((r) => setTimeout(r, 50));
      if (!stderr.includes('Broker running')) throw new Error(`serve did not start: ${stderr}`);
    },
    async stopBroker() {
      if (!broker) return;
      const exited = new Promise((resolve) => broker.once('exit', resolve));
      broker.kill('SIGTERM');
      await exited;
      broker = undefined;
    },
    async close() {
      await this.stopBroker();
      await fx.provider.close();
    },
  };
}

/** Median and the q-quantile of a list of numbers. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
