// Start-up time of the CLI's everyday commands against `node -e 0`, and `exec -- true` against
// `credentials` with a broker running, all taken in one run: each round runs every command once,
// in an order that rotates from round to round, so a shared machine's changing load falls on all
// of them alike. Prints medians, p90 and the ratios the README quotes.
// Usage: scripts/with-keyring.sh node bench/cli-start.mjs [rounds]
import { spawn } from 'node:child_process';
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

/**
 * Wall time, and the CPU time the command used (user + system, all its threads): on a busy machine
 * the wall time mostly measures the others' load. A bash wrapper reads both around the command
 * (EPOCHREALTIME, and `times` for its children), so the wrapper's own start is in neither.
 */
const WRAP = 's=$EPOCHREALTIME; "$@"; c=$?; e=$EPOCHREALTIME; times >&2; echo "$s $e" >&2; exit $c';
const seconds = (text) => {
  const m = /(\d+)m([\d.]+)s/.exec(text);
  return Number(m[1]) * 60 + Number(m[2]);
};
function timed(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', WRAP, 'timed', process.execPath, ...args], {
      env: env.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${args.slice(1).join(' ')} exited ${code}: ${err}`));
      const lines = err.trim().split('\n');
      const [start, end] = lines.at(-1).split(' ').map(Number);
      const [user, system] = lines.at(-2).split(/\s+/).map(seconds); // the children's line of `times`
      resolve({ ms: (end - start) * 1000, cpu: (user + system) * 1000 });
    });
  });
}

await env.startBroker();
try {
  await env.ok(['credentials', 'demo']); // the broker holds credentials from here on
  for (const command of COMMANDS) await timed(command.args); // warm the file cache
  const times = new Map(COMMANDS.map((c) => [c.name, { wall: [], cpu: [] }]));
  for (let round = 0; round < rounds; round += 1) {
    for (let i = 0; i < COMMANDS.length; i += 1) {
      const command = COMMANDS[(round + i) % COMMANDS.length];
      const { ms, cpu } = await timed(command.args);
      times.get(command.name).wall.push(ms);
      times.get(command.name).cpu.push(cpu);
    }
  }

  const p50 = (name, kind = 'wall') => quantile(times.get(name)[kind], 0.5);
  const base = { wall: p50('node -e 0'), cpu: p50('node -e 0', 'cpu') };
  console.log(`${rounds} rounds, commands in rotating order (${CLI_OUTFILE})`);
  console.log(`${''.padEnd(24)} wall p50 (ratio)      wall p90   cpu p50 (ratio)`);
  const ms = (value) => `${value.toFixed(0).padStart(5)} ms`;
  for (const { name } of COMMANDS) {
    const { wall, cpu } = times.get(name);
    const ratio = (kind) => `(${(p50(name, kind) / base[kind]).toFixed(2)}x)`;
    const cpuText = `${ms(quantile(cpu, 0.5))} ${ratio('cpu')}`;
    console.log(
      `${name.padEnd(24)} ${ms(quantile(wall, 0.5))} ${ratio('wall').padEnd(9)} ${ms(quantile(wall, 0.9))}   ${cpuText}`,
    );
  }
  let missed = 0;
  const goal = (label, num, den, limit) => {
    const wall = p50(num) / p50(den);
    const cpu = p50(num, 'cpu') / p50(den, 'cpu');
    if (wall > limit) missed += 1;
    const cpuText = `, cpu ${cpu.toFixed(2)}x`;
    console.log(
      `${label.padEnd(44)} wall ${wall.toFixed(2)}x${cpuText} (goal <= ${limit}x) ${wall <= limit ? 'ok' : 'MISSED'}`,
    );
  };
  for (const name of ['--help', 'profile list', 'use demo', 'whoami demo'])
    goal(`${name} / node -e 0`, name, 'node -e 0', 2);
  goal('exec -- true / credentials (both with broker)', 'exec -- true (broker)', 'credentials (broker)', 1.3);
  process.exitCode = missed > 0 ? 1 : 0;
} finally {
  await env.close();
}
