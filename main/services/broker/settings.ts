import { readFile } from 'node:fs/promises';
import { AppError } from '../core/errors.js';
import { ensurePrivateDir } from '../core/paths.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { BROKER_PORT_ENV, brokerDir, DEFAULT_BROKER_PORT, settingsFile } from './paths.js';

export interface BrokerSettings {
  /** The CredentialsURI port on 127.0.0.1. */
  port: number;
}

/** A TCP port we may listen on: 1024..65535 (no privileged ports). */
export function parsePort(value: unknown, what: string): number {
  const port = typeof value === 'string' && /^\d{1,5}$/.test(value.trim()) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new AppError('INVALID_INPUT', `${what} must be a port number from 1024 to 65535.`);
  }
  return port;
}

/** The saved settings; a missing or unreadable file gives the defaults. */
async function readBrokerSettings(dataDir: string): Promise<BrokerSettings> {
  try {
    const raw: unknown = JSON.parse(await readFile(settingsFile(dataDir), 'utf8'));
    const port = raw && typeof raw === 'object' && 'port' in raw ? raw.port : undefined;
    return { port: parsePort(port, 'The saved broker port') };
  } catch {
    return { port: DEFAULT_BROKER_PORT };
  }
}

export async function writeBrokerSettings(dataDir: string, settings: BrokerSettings): Promise<void> {
  await ensurePrivateDir(brokerDir(dataDir));
  await writeFileAtomic(
    settingsFile(dataDir),
    `${JSON.stringify({ port: parsePort(settings.port, 'The port') }, null, 2)}\n`,
  );
}

/** The port to use: $ALICLOUD_SIGNIN_BROKER_PORT for this run, else the saved one, else 7878. */
export async function brokerPort(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const override = env[BROKER_PORT_ENV];
  if (override) return parsePort(override, BROKER_PORT_ENV);
  return (await readBrokerSettings(dataDir)).port;
}
