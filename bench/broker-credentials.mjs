// Wall time of `alicloud-signin credentials demo` (External mode JSON) against `node -e 0`,
// without a broker (the CLI refreshes and exchanges itself) and with one running (goal <= 2x node -e 0).
// Usage: scripts/with-keyring.sh node bench/broker-credentials.mjs [runs]
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { CLI_OUTFILE, quantile, setup } from './broker-setup.mjs';

const runs = Number(process.argv[2] ?? 20);
const env = await setup();

function timed(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env: env.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${err}`));
      else resolve({ ms, out });
    });
  });
}

/**
 * Runs `node -e 0` and the command in turns, so both see the same load on a shared machine, and
 * gives the median and p90 of each.
 */
async function measurePair(name, args, check) {
  await timed(args); // warm the file cache
  const base = [];
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    base.push((await timed(['-e', '0'])).ms);
    const { ms, out } = await timed(args);
    check?.(out);
    times.push(ms);
  }
  const stats = (list) => ({ p50: quantile(list, 0.5), p90: quantile(list, 0.9) });
  const result = { name, base: stats(base), cmd: stats(times) };
  const line = (label, s) =>
    `${label.padEnd(26)} p50 ${s.p50.toFixed(0).padStart(5)} ms   p90 ${s.p90.toFixed(0).padStart(5)} ms`;
  console.log(line('node -e 0', result.base));
  console.log(line(name, result.cmd));
  return result;
}

const external = (out) => {
  if (JSON.parse(out).mode !== 'StsToken') throw new Error(`not External JSON: ${out}`);
};
console.log(`wall time, ${runs} runs each, taken in turns with node -e 0 (${CLI_OUTFILE})`);
const alone = await measurePair('credentials, no broker', [CLI_OUTFILE, 'credentials', 'demo'], external);
await env.startBroker();
await env.ok(['credentials', 'demo']); // the broker holds credentials from here on
const brokered = await measurePair('credentials, broker', [CLI_OUTFILE, 'credentials', 'demo'], external);
await env.close();
const ratio = (r) => r.cmd.p50 / r.base.p50;
console.log(`no broker: ${ratio(alone).toFixed(2)}x node -e 0`);
console.log(
  `broker:    ${ratio(brokered).toFixed(2)}x node -e 0 (goal <= 2x) ${ratio(brokered) <= 2 ? 'ok' : 'MISSED'}`,
);
