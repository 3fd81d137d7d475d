import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** The CredentialsURI port when none is configured: stable, so CLI profiles keep working. */
export const DEFAULT_BROKER_PORT = 7878;
/** Overrides the configured port for one run (not saved). */
export const BROKER_PORT_ENV = 'ALICLOUD_SIGNIN_BROKER_PORT';

/** Unix socket paths are limited to about 104 bytes (macOS) or 108 (Linux). */
const MAX_SOCKET_PATH = 100;

/** The broker's own folder in the data dir (mode 0700): socket, endpoint file, audit log, settings. */
export function brokerDir(dataDir: string): string {
  return path.join(dataDir, 'broker');
}

/** Written (0600) once a broker listens: pid, socket, the per-start token and the port. */
export function endpointFile(dataDir: string): string {
  return path.join(brokerDir(dataDir), 'endpoint.json');
}

/** `{ "port": N }`: the configured CredentialsURI port. */
export function settingsFile(dataDir: string): string {
  return path.join(brokerDir(dataDir), 'settings.json');
}

/** The current audit log; the previous one is `audit.1.jsonl`. */
export function auditFile(dataDir: string): string {
  return path.join(brokerDir(dataDir), 'audit.jsonl');
}

/**
 * The local channel: a Unix socket in the broker folder, or a named pipe on Windows. A data dir
 * whose path is too long for a socket gets a short hashed name in a 0700 folder of the user's own:
 * `$XDG_RUNTIME_DIR/alicloud-signin/` (per user by the XDG spec), else
 * `$XDG_CACHE_HOME/alicloud-signin-run/` (default `~/.cache`). Never a shared temp folder, where
 * another user could create the folder or the socket first.
 */
export function socketPath(
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  const tag = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  if (platform === 'win32') return `\\\\.\\pipe\\alicloud-signin-${tag}`;
  const inside = path.join(brokerDir(dataDir), 'broker.sock');
  if (Buffer.byteLength(inside) <= MAX_SOCKET_PATH) return inside;
  return path.join(shortSocketDir(env, home), `${tag}.sock`);
}

/** The folder of the hashed socket name (see socketPath). */
function shortSocketDir(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && path.isAbsolute(runtime)) return path.join(runtime, 'alicloud-signin');
  const cache =
    env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(home, '.cache');
  // Not `alicloud-signin`: a cache folder of that name may be the desktop app's (Chromium's caches).
  return path.join(cache, 'alicloud-signin-run');
}

/** Whether a socket path fits in sockaddr_un on every Unix we run on. */
export function socketPathFits(socket: string): boolean {
  return Buffer.byteLength(socket) <= MAX_SOCKET_PATH;
}
