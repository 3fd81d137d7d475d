/**
 * Runs KeyringSecretStore calls in its own process (its own D-Bus environment) and prints one
 * JSON line per call: {op, account, ok, value?, code?, message?, causeText?, ms}. Arguments:
 *   get:ACCOUNT  set:ACCOUNT:SECRET  delete:ACCOUNT  lock (locks the default collection)
 *   par-get:ACCOUNT:N  (N concurrent gets; prints one line with every outcome)
 *   stop-daemon / cont-daemon  (SIGSTOP / SIGCONT the Secret Service daemon)   pending
 * Output is printed at the end; the process then ends when its last keychain call does.
 */
import { execFileSync } from 'node:child_process';
import { isAppError } from '../../main/services/core/errors.js';
import { KeyringSecretStore } from '../../main/services/secrets/keyring-store.js';
import { lockLoginKeyring } from './keyring-session.js';

// KEYRING_ISOLATE=1: the native calls run in the helper process (as the CLI makes them).
const store = new KeyringSecretStore({ isolate: process.env.KEYRING_ISOLATE === '1' });

function causeText(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e instanceof Error && parts.length < 5; e = e.cause) parts.push(e.message);
  return parts.join(' <- ');
}

async function outcome(op: string, account: string, work: () => Promise<unknown>): Promise<Record<string, unknown>> {
  const started = Date.now();
  try {
    const value = await work();
    return { op, account, ok: true, value, ms: Date.now() - started };
  } catch (error) {
    return {
      op,
      account,
      ok: false,
      code: isAppError(error) ? error.code : 'NOT_APP_ERROR',
      message: error instanceof Error ? error.message : String(error),
      causeText: causeText(error),
      ms: Date.now() - started,
    };
  }
}

/** The process that owns the Secret Service name on this session bus. */
function secretServicePid(): number {
  const reply = execFileSync('dbus-send', [
    '--session',
    '--print-reply',
    '--dest=org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    'org.freedesktop.DBus.GetConnectionUnixProcessID',
    'string:org.freedesktop.secrets',
  ]).toString();
  return Number(/uint32 (\d+)/.exec(reply)?.[1]);
}

const lines: string[] = [];
let stopped: number | undefined;
for (const arg of process.argv.slice(2)) {
  const [op = '', account = '', rest = ''] = arg.split(':');
  if (op === 'lock') {
    lockLoginKeyring();
    lines.push(JSON.stringify({ op, ok: true }));
  } else if (op === 'stop-daemon' || op === 'cont-daemon') {
    stopped ??= secretServicePid();
    process.kill(stopped, op === 'stop-daemon' ? 'SIGSTOP' : 'SIGCONT');
    lines.push(JSON.stringify({ op, ok: true }));
  } else if (op === 'pending') lines.push(JSON.stringify({ op, ok: true, value: store.pendingCalls }));
  else if (op === 'get') lines.push(JSON.stringify(await outcome(op, account, () => store.get(account))));
  else if (op === 'set') lines.push(JSON.stringify(await outcome(op, account, () => store.set(account, rest))));
  else if (op === 'delete') lines.push(JSON.stringify(await outcome(op, account, () => store.delete(account))));
  else if (op === 'par-get') {
    const all = await Promise.all(
      Array.from({ length: Number(rest) }, () => outcome('get', account, () => store.get(account))),
    );
    lines.push(JSON.stringify({ op, results: all }));
  } else lines.push(JSON.stringify({ op, ok: false, code: 'UNKNOWN_OP' }));
}
// A stopped daemon must run again, or it outlives its bus.
if (stopped !== undefined) process.kill(stopped, 'SIGCONT');
process.stdout.write(`${lines.join('\n')}\n`);
