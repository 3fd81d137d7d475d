// Cached credentials over the CredentialsURI at 50 concurrent connections, against a bare
// node:http server answering a constant JSON body of the same size, in the same run, with wrk.
// Goals: at least 0.7x the bare server's throughput, and a p99 at most 1.5x its p99.
// Usage: scripts/with-keyring.sh node bench/broker-uri.mjs [seconds=8] [rounds=4] (BENCH_VERBOSE=1 prints each round)
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort, quantile, setup } from './broker-setup.mjs';

const run = promisify(execFile);
const seconds = Number(process.argv[2] ?? 8);
const rounds = Number(process.argv[3] ?? 4);
const CONNECTIONS = 50;

await run('wrk', ['--version']).catch((error) => {
  if (error.code === 'ENOENT') throw new Error('wrk is not installed (Debian: apt-get install -y wrk)');
});

const env = await setup();
await env.startBroker();
const url = (await env.ok(['broker', 'url', 'demo'])).stdout.trim();
const sample = await (await globalThis.fetch(url)).text();
if (!sample.includes('"Code":"Success"')) throw new Error(`the broker did not answer with credentials: ${sample}`);

// The bare server: its own process, like the broker, answering the same bytes.
const barePort = await freePort();
const bareScript = `require('node:http').createServer((q, s) => { s.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(process.env.BODY) }); s.end(process.env.BODY); }).listen(${barePort}, '127.0.0.1', () => console.log('up'));`;
const bare = spawn(process.execPath, ['-e', bareScript], {
  env: { ...process.env, BODY: sample },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve) => bare.stdout.once('data', resolve));
const bareUrl = `http://127.0.0.1:${barePort}/v1/credentials/x`;

/** wrk's Requests/sec and latency percentiles (ms). */
async function wrk(target) {
  const { stdout } = await run('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', target], {
    maxBuffer: 1 << 20,
  });
  const ms = (label) => {
    const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(stdout);
    if (!m) throw new Error(`no ${label}% in wrk output:\n${stdout}`);
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? '0';
  return { rps, p50: ms('50'), p99: ms('99'), errors: Number(errors) };
}

const results = { bare: [], broker: [] };
await wrk(url); // warm both paths (JIT, sockets) before measuring
await wrk(bareUrl);
for (let round = 0; round < rounds; round += 1) {
  // Alternate which goes first, so a change in the machine's load falls on both alike.
  const order = round % 2 === 0 ? ['bare', 'broker'] : ['broker', 'bare'];
  for (const name of order) results[name].push(await wrk(name === 'bare' ? bareUrl : url));
  if (process.env.BENCH_VERBOSE)
    console.log(
      `round ${round + 1}: bare ${results.bare.at(-1).rps.toFixed(0)}, broker ${results.broker.at(-1).rps.toFixed(0)} req/s`,
    );
}
bare.kill();
await env.close();

const median = (list, key) =>
  quantile(
    list.map((r) => r[key]),
    0.5,
  );
const row = (name, list) => {
  const rps = median(list, 'rps');
  const p50 = median(list, 'p50');
  const p99 = median(list, 'p99');
  const errors = list.reduce((n, r) => n + r.errors, 0);
  console.log(
    `${name.padEnd(8)} ${rps.toFixed(0).padStart(8)} req/s   p50 ${p50.toFixed(2).padStart(6)} ms   p99 ${p99.toFixed(2).padStart(6)} ms   non-2xx ${errors}`,
  );
  return { rps, p50, p99 };
};
console.log(
  `CredentialsURI, cached credentials, ${CONNECTIONS} connections, wrk -t2 -d${seconds}s, median of ${rounds} rounds (body ${sample.length} bytes)`,
);
const b = row('bare', results.bare);
const k = row('broker', results.broker);
const ratio = k.rps / b.rps;
const p99 = k.p99 / b.p99;
console.log(`throughput ${ratio.toFixed(2)}x bare (goal >= 0.70x) ${ratio >= 0.7 ? 'ok' : 'MISSED'}`);
console.log(`p99        ${p99.toFixed(2)}x bare (goal <= 1.50x) ${p99 <= 1.5 ? 'ok' : 'MISSED'}`);
