// `npm test`: type-check, lint, look for dead code, check formatting, build the CLI once, then the whole vitest suite. Many suites need a
// real Secret Service: outside one, this starts its own (scripts/with-keyring.sh) where gnome-keyring
// and D-Bus are installed, and otherwise runs what it can and ends with a line naming what did not
// run and why, so a green run without a keyring is never mistaken for the whole suite.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

function run(command, commandArgs, env = process.env) {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', cwd: root, env });
  return result.status ?? 1;
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const inKeyring = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
const canStartKeyring = has('dbus-run-session') && has('gnome-keyring-daemon');

// Re-enter inside a private keyring session once, before doing any work.
if (!inKeyring && canStartKeyring && process.env.ALICLOUD_TEST_NO_KEYRING !== '1') {
  process.exit(run(join(root, 'scripts/with-keyring.sh'), [process.execPath, fileURLToPath(import.meta.url), ...args]));
}

for (const [command, commandArgs] of [
  ['npx', ['tsc', '-b']],
  ['npx', ['eslint', '.']],
  // Unused files, exports and dependencies (knip.jsonc says what it cannot see, and why).
  ['npx', ['knip']],
  ['npx', ['prettier', '--check', '--log-level', 'warn', '.']],
  [process.execPath, ['scripts/build-cli.mjs']],
]) {
  const status = run(command, commandArgs);
  if (status !== 0) process.exit(status);
}

// The CLI was just built: global setup need not build it again.
const scratch = mkdtempSync(join(tmpdir(), 'alicloud-test-report-'));
const report = process.env.VITEST_JSON ?? join(scratch, 'report.json');
const status = run('npx', ['vitest', 'run', ...args], { ...process.env, SKIP_CLI_BUILD: '1', VITEST_JSON: report });
if (!inKeyring) sayWhatDidNotRun(report);
rmSync(scratch, { recursive: true, force: true });
process.exit(status);

function sayWhatDidNotRun(file) {
  let results;
  try {
    results = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return;
  }
  const skipped = new Map();
  for (const suite of results.testResults ?? []) {
    const count = (suite.assertionResults ?? []).filter((t) => t.status === 'pending' || t.status === 'skipped').length;
    if (count > 0) skipped.set(relative(root, suite.name), count);
  }
  const total = [...skipped.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return;
  const why = canStartKeyring
    ? 'ALICLOUD_TEST_NO_KEYRING=1 kept the keyring session off'
    : 'no Secret Service: gnome-keyring and dbus are not installed (bash .ci/run installs them)';
  console.log(`\nNot run: ${total} tests in ${skipped.size} files (${why}): ${[...skipped.keys()].join(', ')}`);
}
