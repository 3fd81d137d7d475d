// Start-up time of the CLI's everyday commands against `node -e 0`, and `exec -- true` against
// `credentials` with a broker running, all taken in one run: each round runs every command once,
// in an order that rotates from round to round, so a shared machine's changing load falls on all
// of them alike. Prints medians, p90 and the ratios the README quotes.
// Usage: scripts/with-keyring.sh node bench/cli-start.mjs [rounds]
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { CLI_OUTFILE, quantile, setup } from './broker-setup.mjs';

const rounds = Number(process.argv[2] ?? 15);
const env = await setup();

/** What is timed: the label, node's arguments, and whether it needs the broker. */
const COMMANDS = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: '--help', args: [CLI_OUTFILE, '--help'] },
  { name: 'profile list', args: [CLI_OUTFILE, 'profile', 'list'] },
  { name: 'use demo', args: [CLI_OUTFILE, 'use', 'demo'] },
  { name: 'whoami demo', args: [CLI_OUTFILE, 'whoami', 'demo'] },
  { name: 'credentials (broker)', args: [CLI_OUTFILE, 'credentials', 'demo'] },
  { name: 'exec -- true (broker)', args: [CLI_OUTFILE, 'exec', 'demo', '--', 'true'] },
];

function timed(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env: env.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`${args.slice(1).join(' ')} exited ${code}: ${err}`));
      else resolve(ms);
    });
  });
}

await env.startBroker();
try {
  await env.ok(['credentials', 'demo']); // the broker holds credentials from here on
  for (const command of COMMANDS) await timed(command.args); // warm the file cache
  const times = new Map(COMMANDS.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (let i = 0; i < COMMANDS.length; i += 1) {
      const command = COMMANDS[(round + i) % COMMANDS.length];
      times.get(command.name).push(await timed(command.args));
    }
  }

  const p50 = (name) => quantile(times.get(name), 0.5);
  const base = p50('node -e 0');
  console.log(`wall time, ${rounds} rounds, commands in rotating order (${CLI_OUTFILE})`);
  for (const { name } of COMMANDS) {
    const list = times.get(name);
    const ratio = name === 'node -e 0' ? '' : `  ${(quantile(list, 0.5) / base).toFixed(2)}x node -e 0`;
    console.log(
      `${name.padEnd(24)} p50 ${quantile(list, 0.5).toFixed(0).padStart(5)} ms   p90 ${quantile(list, 0.9).toFixed(0).padStart(5)} ms${ratio}`,
    );
  }
  let missed = 0;
  const goal = (label, value, limit) => {
    const ok = value <= limit;
    if (!ok) missed += 1;
    console.log(`${label.padEnd(44)} ${value.toFixed(2)}x (goal <= ${limit}x) ${ok ? 'ok' : 'MISSED'}`);
  };
  for (const name of ['--help', 'profile list', 'use demo', 'whoami demo'])
    goal(`${name} / node -e 0`, p50(name) / base, 2);
  goal(
    'exec -- true / credentials (both with broker)',
    p50('exec -- true (broker)') / p50('credentials (broker)'),
    1.3,
  );
  process.exitCode = missed > 0 ? 1 : 0;
} finally {
  await env.close();
}
