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
 * whose path is too long for a socket gets one in $XDG_RUNTIME_DIR (or the temp folder) named
 * after a hash of the data dir.
 */
export function socketPath(
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const tag = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  if (platform === 'win32') return `\\\\.\\pipe\\alicloud-signin-${tag}`;
  const inside = path.join(brokerDir(dataDir), 'broker.sock');
  if (Buffer.byteLength(inside) <= MAX_SOCKET_PATH) return inside;
  const runtime = env.XDG_RUNTIME_DIR && path.isAbsolute(env.XDG_RUNTIME_DIR) ? env.XDG_RUNTIME_DIR : os.tmpdir();
  return path.join(runtime, `alicloud-signin-${tag}.sock`);
}
