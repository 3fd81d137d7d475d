import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { AppError, ERROR_CODES, type ErrorCode } from '../core/errors.js';
import { dataDir as defaultDataDir } from '../core/paths.js';
import type { StsCredentials } from '../oss/types.js';
import {
  MAX_LINE_BYTES,
  parseAnswer,
  parseEndpoint,
  PROTOCOL_VERSION,
  type BrokerEndpoint,
  type CredentialsFormat,
  type LocalAnswer,
  type LocalRequest,
} from './local-protocol.js';
import { endpointFile } from './paths.js';

export interface BrokerClientOptions {
  /** Default: the data dir from the environment, as every command uses. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the answer (a refresh may be under way); default 60 s. */
  timeoutMs?: number;
}

/** What `askBroker` hands back: the profile it resolved and its credentials. */
export interface BrokerCredentials {
  profile: { id: string; name: string };
  credentials: StsCredentials;
  /** The credentials already rendered in the format asked for, when the broker can render. */
  text?: string;
}

type Distribute<R> = R extends { token: string; v: number } ? Omit<R, 'token' | 'v'> : never;
/** A request without its version and token (the client adds them). */
export type BrokerRequest = Distribute<LocalRequest>;

/** The running broker's endpoint, or undefined when none has published one. */
export async function readEndpoint(dataDir: string): Promise<BrokerEndpoint | undefined> {
  const text = await readFile(endpointFile(dataDir), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseEndpoint(text);
}

/**
 * Sends one request to the running broker. Undefined when no broker answers (none runs, or it
 * died and left its files behind); the broker's own refusals come back as `{ ok: false }`.
 */
export async function brokerRequest(
  request: BrokerRequest,
  options: BrokerClientOptions = {},
): Promise<LocalAnswer | undefined> {
  const dir = options.dataDir ?? defaultDataDir(options.env);
  const endpoint = await readEndpoint(dir);
  if (!endpoint) return undefined;
  const line = await exchangeLine(
    endpoint.socket,
    JSON.stringify({ ...request, v: PROTOCOL_VERSION, token: endpoint.token }),
    options.timeoutMs ?? 60_000,
  );
  return line === undefined ? undefined : parseAnswer(line);
}

/**
 * Asks a running broker for a profile's credentials (no `profileRef`: the active profile).
 * Undefined when no broker runs or it will not serve this profile (switched off): the caller then
 * gets credentials itself, from the keychain under the refresh lock. A broker's error, such as a
 * profile that is not signed in, is thrown as the AppError the broker reported.
 */
export async function askBroker(
  profileRef: string | undefined,
  options: BrokerClientOptions & { format?: CredentialsFormat } = {},
): Promise<BrokerCredentials | undefined> {
  const answer = await brokerRequest(
    {
      op: 'credentials',
      ...(profileRef !== undefined ? { profile: profileRef } : {}),
      ...(options.format ? { format: options.format } : {}),
    },
    options,
  );
  if (!answer || (!answer.ok && answer.fallback)) return undefined;
  if (!answer.ok) throw new AppError(errorCode(answer.code), answer.message);
  if (answer.op !== 'credentials') return undefined;
  const expiration = new Date(answer.credentials.expiration);
  if (Number.isNaN(expiration.getTime())) return undefined;
  return {
    profile: answer.profile,
    credentials: { ...answer.credentials, expiration },
    ...(answer.text !== undefined ? { text: answer.text } : {}),
  };
}

function errorCode(code: string): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'BROKER_UNAVAILABLE';
}

/** One line out, one line back; undefined if the socket is not there, refuses, or says nothing usable. */
function exchangeLine(path: string, line: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    let received = '';
    let settled = false;
    const finish = (value: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(`${line}\n`));
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\n');
      if (end >= 0) finish(received.slice(0, end));
      else if (received.length > MAX_LINE_BYTES) finish(undefined);
    });
    socket.once('end', () => finish(undefined));
    socket.once('error', () => finish(undefined));
  });
}
