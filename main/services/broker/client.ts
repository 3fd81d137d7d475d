import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { dataDir as defaultDataDir } from '../core/paths.js';
import type { StsCredentials } from '../oss/types.js';
import { brokerProof, clientProof, newNonce, proofsMatch } from './handshake.js';
import {
  MAX_LINE_BYTES,
  parseAnswer,
  parseChallenge,
  parseEndpoint,
  PROTOCOL_VERSION,
  type BrokerEndpoint,
  type CredentialsFormat,
  type LocalAnswer,
  type LocalRequest,
} from './local-protocol.js';
import { brokerDir, endpointFile } from './paths.js';
import { checkOwnSocket, checkPrivateDir, endpointFileProblem, ownUid } from './private-dir.js';

export interface BrokerClientOptions {
  /** Default: the data dir from the environment, as every command uses. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the answer (a refresh may be under way); default 60 s. */
  timeoutMs?: number;
}

/** What `askBroker` hands back: the profile it resolved and its credentials, every field checked. */
export interface BrokerCredentials {
  profile: { id: string; name: string };
  credentials: StsCredentials;
}

type Distribute<R> = R extends { proof: string; v: number } ? Omit<R, 'proof' | 'v'> : never;
/** A request without its version and proof (the client adds them). */
export type BrokerRequest = Distribute<LocalRequest>;

/** How a request to the broker went. */
export type BrokerReach =
  /** No broker registered, or it is gone: no endpoint file, its process ended, its socket removed. */
  | { kind: 'none' }
  /** A broker is registered and its process lives, but it did not answer. */
  | { kind: 'silent'; pid: number }
  | { kind: 'answer'; answer: LocalAnswer };

/**
 * The running broker's endpoint, or undefined when none has published one. Throws
 * BROKER_UNTRUSTED when the broker folder or the file could have been written by another user.
 */
async function readEndpoint(dataDir: string): Promise<BrokerEndpoint | undefined> {
  if (!(await checkPrivateDir(brokerDir(dataDir), 'broker folder'))) return undefined;
  const file = endpointFile(dataDir);
  // Opened without following a link and checked on the open file: no swap between check and read.
  const handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const uid = ownUid();
    const problem = uid === undefined ? undefined : endpointFileProblem(await handle.stat(), uid);
    if (problem)
      throw new AppError('BROKER_UNTRUSTED', `The broker's endpoint file ${file} ${problem}; it was not used.`);
    return parseEndpoint(await handle.readFile('utf8'));
  } finally {
    await handle.close();
  }
}

/** Whether a process of ours has this pid (another user's process is not our broker). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // ESRCH: gone; EPERM: someone else's
  }
}

/**
 * Sends one request to the running broker, after checking whom it would talk to: the broker
 * folder and endpoint file private to us, the socket ours in a folder private to us, the pid in
 * the endpoint alive, and the broker's proof that it knows the token. Anything that could be
 * another user's throws BROKER_UNTRUSTED before a byte is sent; a program that fails the proof
 * throws it after seeing only a random nonce.
 */
export async function reachBroker(request: BrokerRequest, options: BrokerClientOptions = {}): Promise<BrokerReach> {
  const dir = options.dataDir ?? defaultDataDir(options.env);
  const endpoint = await readEndpoint(dir);
  if (!endpoint) return { kind: 'none' };
  if (process.platform !== 'win32') {
    if (!(await checkPrivateDir(path.dirname(endpoint.socket), 'broker socket folder'))) return { kind: 'none' };
    if (checkOwnSocket(endpoint.socket) === 'missing') return { kind: 'none' };
  }
  if (!pidAlive(endpoint.pid)) return { kind: 'none' };
  const outcome = await converse(endpoint, request, options.timeoutMs ?? 60_000);
  if (outcome.kind === 'impostor')
    throw new AppError(
      'BROKER_UNTRUSTED',
      `The program on the broker socket ${endpoint.socket} did not prove it is the broker; nothing was sent to it. ` +
        'Stop it and start the broker again: alicloud-signin serve.',
    );
  if (outcome.kind === 'silent') return { kind: 'silent', pid: endpoint.pid };
  const answer = parseAnswer(outcome.line);
  if (!answer)
    throw new AppError(
      'BAD_RESPONSE',
      'The broker answered with something that is not in the expected form; nothing was used.',
    );
  return { kind: 'answer', answer };
}

/** `reachBroker`, with no broker and a silent one both undefined. */
export async function brokerRequest(
  request: BrokerRequest,
  options: BrokerClientOptions = {},
): Promise<LocalAnswer | undefined> {
  const reach = await reachBroker(request, options);
  return reach.kind === 'answer' ? reach.answer : undefined;
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
  if (!answer.ok) throw new AppError(answer.code, answer.message);
  if (answer.op !== 'credentials') return undefined;
  return {
    profile: answer.profile,
    credentials: { ...answer.credentials, expiration: new Date(answer.credentials.expiration) },
  };
}

type Conversation = { kind: 'line'; line: string } | { kind: 'silent' } | { kind: 'impostor' };

/** hello -> challenge (checked) -> request with our proof -> one answer line. */
function converse(endpoint: BrokerEndpoint, request: BrokerRequest, timeoutMs: number): Promise<Conversation> {
  return new Promise((resolve) => {
    const socket = connect({ path: endpoint.socket });
    const clientNonce = newNonce();
    let verified = false;
    let received = '';
    let settled = false;
    const finish = (value: Conversation) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => finish({ kind: 'silent' }), timeoutMs);
    socket.setEncoding('utf8');
    socket.once('connect', () =>
      socket.write(`${JSON.stringify({ v: PROTOCOL_VERSION, op: 'hello', nonce: clientNonce })}\n`),
    );
    socket.on('data', (chunk: string) => {
      received += chunk;
      for (let end = received.indexOf('\n'); end >= 0 && !settled; end = received.indexOf('\n')) {
        const line = received.slice(0, end);
        received = received.slice(end + 1);
        if (verified) return finish({ kind: 'line', line });
        const challenge = parseChallenge(line);
        if (!challenge || !proofsMatch(challenge.proof, brokerProof(endpoint.token, clientNonce, challenge.nonce)))
          return finish({ kind: 'impostor' });
        verified = true;
        const proof = clientProof(endpoint.token, clientNonce, challenge.nonce);
        socket.write(`${JSON.stringify({ ...request, v: PROTOCOL_VERSION, proof })}\n`);
      }
      if (received.length > MAX_LINE_BYTES) finish(verified ? { kind: 'silent' } : { kind: 'impostor' });
    });
    socket.once('end', () => finish({ kind: 'silent' }));
    socket.once('error', () => finish({ kind: 'silent' }));
  });
}
