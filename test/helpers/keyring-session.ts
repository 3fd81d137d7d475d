/**
 * Runs test/helpers/keyring-child.ts inside a private D-Bus session of its own, so a test can
 * lock a keyring, hang its prompter or leave out the Secret Service without touching the session
 * the other keyring tests use.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./keyring-child.ts', import.meta.url));

export type SessionKind =
  /** The desktop's session bus config and an unlocked gnome-keyring (prompts fail: no display). */
  | 'keyring'
  /** gnome-keyring, and a password prompter that is started but never answers. */
  | 'hung-prompter'
  /** A bus with no Secret Service at all. */
  | 'no-secret-service';

export interface Outcome {
  op: string;
  account?: string;
  ok: boolean;
  value?: unknown;
  code?: string;
  message?: string;
  causeText?: string;
  ms?: number;
  results?: Outcome[];
}

const BUS_CONFIG = (
  serviceDir: string,
  startTimeoutMs: number,
) => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=${os.tmpdir()}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>${serviceDir}</servicedir>
  <limit name="service_start_timeout">${startTimeoutMs}</limit>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`;

// Connects to the bus (so the daemon sees it start) but never claims the prompter's name; it ends
// with the bus.
const HUNG_PROMPTER = `[D-BUS Service]
Name=org.gnome.keyring.SystemPrompter
Exec=/bin/sh -c "exec dbus-monitor --session >/dev/null 2>&1"
`;

const INNER = `set -eu
if [ "$START_KEYRING" = 1 ]; then
  printf '%s' test-password | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>&1
  for _ in $(seq 1 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \\
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then break; fi
    sleep 0.1
  done
fi
exec node --import tsx "$CHILD" "$@"
`;

/** Runs the child with `ops` in a new session of `kind`; resolves with one outcome per op. */
export async function runInSession(
  kind: SessionKind,
  ops: string[],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Outcome[]> {
  const { code, stdout, stderr } = await runScriptInSession(kind, CHILD, ops, { env: extraEnv });
  const lines = stdout.split('\n').filter((l) => l.startsWith('{'));
  if (code !== 0 || lines.length !== ops.length) {
    throw new Error(`keyring session (${kind}) ended with ${code}; stdout: ${stdout}; stderr: ${stderr}`);
  }
  return lines.map((l) => JSON.parse(l) as Outcome);
}

export interface SessionScriptOptions {
  env?: NodeJS.ProcessEnv;
  /** How long the bus waits for the hung prompter to claim its name (default 4 s). */
  promptTimeoutMs?: number;
}

/** Runs a TypeScript script (node --import tsx) with `args` in a new session of `kind`. */
export async function runScriptInSession(
  kind: SessionKind,
  script: string,
  args: string[],
  options: SessionScriptOptions = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'keyring-session-'));
  try {
    const services = path.join(tmp, 'services');
    const runtime = path.join(tmp, 'run');
    await mkdir(services);
    await mkdir(path.join(tmp, 'data'));
    await mkdir(runtime, { mode: 0o700 });
    await writeFile(path.join(tmp, 'inner.sh'), INNER);
    const busArgs: string[] = [];
    if (kind !== 'keyring') {
      await writeFile(path.join(tmp, 'bus.conf'), BUS_CONFIG(services, options.promptTimeoutMs ?? 4000));
      busArgs.push(`--config-file=${path.join(tmp, 'bus.conf')}`);
    }
    if (kind === 'hung-prompter')
      await writeFile(path.join(services, 'org.gnome.keyring.SystemPrompter.service'), HUNG_PROMPTER);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      XDG_DATA_HOME: path.join(tmp, 'data'),
      XDG_RUNTIME_DIR: runtime,
      ...options.env,
      START_KEYRING: kind === 'no-secret-service' ? '0' : '1',
      CHILD: script,
    };
    for (const name of ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY']) delete env[name];
    const proc = spawn('dbus-run-session', [...busArgs, '--', 'sh', path.join(tmp, 'inner.sh'), ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
    return { code, stdout, stderr };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Locks the session's login keyring (in a session of runInSession's, whose prompter cannot unlock it). */
export function lockLoginKeyring(): void {
  execFileSync('dbus-send', [
    '--session',
    '--print-reply',
    '--dest=org.freedesktop.secrets',
    '/org/freedesktop/secrets',
    'org.freedesktop.Secret.Service.Lock',
    'array:objpath:/org/freedesktop/secrets/collection/login',
  ]);
}
