// `npm start`: fetch the Electron binary when it is missing (with Electron's own installer), build
// the desktop app with electron-vite, and launch it. Electron 45's package has no install script:
// its binary comes on first use, from the internet. Where that fails, this ends with ONE line on
// stderr saying what to do, never a stack trace; the installer's own output goes to a log file.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { clearTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(ROOT, 'package.json'));
const TAG = 'alicloud-signin:';
const CLI_HINT = 'the CLI works without it: npx alicloud-signin --help';
/** Seconds the installer may take (a slow line needs a minute for about 100 MB). */
const TIMEOUT_ENV = 'ALICLOUD_SIGNIN_ELECTRON_DOWNLOAD_TIMEOUT';
const DEFAULT_TIMEOUT_S = 120;
/** The installer's output kept for the log: its tail, where the error is. */
const OUTPUT_CAP = 64 * 1024;

/** Electron's package folder and version, read from disk: require('electron') would download. */
function electronPackage() {
  try {
    const manifest = require.resolve('electron/package.json');
    return { dir: dirname(manifest), version: JSON.parse(readFileSync(manifest, 'utf8')).version };
  } catch {
    return undefined;
  }
}

/** Where Electron's own index.js looks for the executable (same path.txt, same override). */
function executablePath(dir) {
  const pathFile = join(dir, 'path.txt');
  const fallback =
    { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform] ?? 'electron';
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : fallback;
  return join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist'), relative);
}

function timeoutSeconds() {
  const value = Number(process.env[TIMEOUT_ENV]);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_S;
}

/** Runs `node install.js` quietly, killed after `seconds`; resolves with what it said. */
function runInstaller(dir, seconds) {
  return new Promise((done) => {
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-OUTPUT_CAP);
    };
    const child = spawn(process.execPath, [join(dir, 'install.js')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, seconds * 1000);
    child.on('error', (error) => keep(`${error.name}: ${error.message}\n`));
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ ok: code === 0 && !timedOut, timedOut, output });
    });
  });
}

/** The installer's failure in a few words; URLs left out (a mirror's may hold a password). */
function failureReason(result, seconds) {
  if (result.timedOut) return `no download within ${seconds} s`;
  if (result.ok) return 'its installer ended without installing a binary';
  const errors = [...result.output.matchAll(/^\s*(?:\w*Error|Error)(?: \[\w+\])?: (.+)$/gm)];
  const message = errors.at(-1)?.[1]?.trim();
  if (!message) return 'its installer failed without saying why';
  const status = /Response code (\d{3}) \(([^)]*)\)/.exec(message);
  if (status) return `the download server answered ${status[1]} ${status[2]}`;
  if (/checksum/i.test(message)) return "the download did not match Electron's checksum";
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up/i.test(message)) {
    return 'cannot reach the download server';
  }
  if (/not available on platform|does not have a published/i.test(message))
    return 'no Electron build for this platform';
  const words = message.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>');
  return words.length > 100 ? `${words.slice(0, 99)}…` : words;
}

/** The installer's whole output, for whoever wants more than one line (0600 in a 0700 folder). */
function keepLog(output) {
  try {
    const file = join(mkdtempSync(join(tmpdir(), 'alicloud-signin-')), 'electron-install.log');
    writeFileSync(file, output, { mode: 0o600 });
    return file;
  } catch {
    return undefined;
  }
}

function fail(words) {
  console.error(`${TAG} ${words}`);
  process.exitCode = 1;
}

/** Runs a command in the foreground; resolves with its exit code (1 when a signal ended it). */
function run(command, args, env = process.env) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => {
      console.error(`${TAG} could not run ${command} (${error.code ?? error.name})`);
      done(1);
    });
    child.on('close', (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      done(code ?? 1);
    });
  });
}

async function main() {
  const electron = electronPackage();
  if (!electron) return fail(`the electron package is not installed (run npm ci first); ${CLI_HINT}`);
  let binary = executablePath(electron.dir);
  if (!existsSync(binary)) {
    if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
      return fail(
        `ELECTRON_OVERRIDE_DIST_PATH is set, but ${binary} does not exist; point it at a folder holding Electron ${electron.version}, or unset it to download Electron`,
      );
    }
    const seconds = timeoutSeconds();
    console.log(`${TAG} downloading Electron ${electron.version} with its own installer (once; at most ${seconds} s)`);
    const result = await runInstaller(electron.dir, seconds);
    binary = executablePath(electron.dir);
    if (!result.ok || !existsSync(binary)) {
      const log = keepLog(result.output);
      return fail(
        `could not download Electron ${electron.version} (${failureReason(result, seconds)}); connect to the internet and run npm start again, ` +
          `or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding Electron; ${CLI_HINT}${log ? ` (installer output: ${log})` : ''}`,
      );
    }
  }
  const vite = require.resolve('electron-vite/package.json');
  const built = await run(process.execPath, [
    join(dirname(vite), JSON.parse(readFileSync(vite, 'utf8')).bin['electron-vite']),
    'build',
  ]);
  if (built !== 0) {
    process.exitCode = built;
    return;
  }
  // An inherited ELECTRON_RUN_AS_NODE (set by some editors' terminals) would run the app as a script.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  process.exitCode = await run(binary, ['.'], env);
}

await main();
