import { chmod, lstat, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { AppError, toAppError, type ErrorCode } from '../core/errors.js';
import type { Profile } from '../profiles/schema.js';
import type { AuditMode } from './audit-log.js';
import type { CredentialBroker } from './broker.js';
import { brokerProof, clientProof, newNonce, proofsMatch } from './handshake.js';
import {
  MAX_LINE_BYTES,
  parseHello,
  parseLocalRequest,
  PROTOCOL_VERSION,
  type LocalAnswer,
  type LocalRequest,
} from './local-protocol.js';
import { ownUid } from './private-dir.js';

export interface LocalHandlers {
  broker: CredentialBroker;
  /** The per-start token (64 hex characters) both sides prove they know. */
  token: string;
  rotate(profileRef: string): Promise<{ profile: Profile; secret: string }>;
  reload(profileRef?: string): Promise<void>;
  status(): { pid: number; port: number; startedAt: string };
}

/**
 * Serves the local channel: the client's hello, our challenge (proof first: a client must not
 * send anything it cares about before we showed we hold the token), the client's proof with one
 * request, one answer, then the connection closes. The credentials go out as fields; the client
 * renders them.
 */
export function createLocalServer(handlers: LocalHandlers): Server {
  return createServer((socket) => {
    socket.setTimeout(10_000, () => socket.destroy());
    let buffered = '';
    let nonces: { client: string; broker: string } | undefined;
    socket.setEncoding('utf8');
    const onData = (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        if (!nonces) {
          const hello = parseHello(line);
          if (!hello) {
            socket.off('data', onData);
            socket.end(`${JSON.stringify(failure('INVALID_INPUT', 'The first line must be a hello.'))}\n`);
            return;
          }
          nonces = { client: hello.nonce, broker: newNonce() };
          const proof = brokerProof(handlers.token, nonces.client, nonces.broker);
          socket.write(`${JSON.stringify({ v: PROTOCOL_VERSION, op: 'challenge', nonce: nonces.broker, proof })}\n`);
          continue;
        }
        socket.off('data', onData);
        socket.setTimeout(0);
        const held = nonces;
        void answer(line, held).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
        return;
      }
      if (buffered.length > MAX_LINE_BYTES) socket.destroy();
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  });

  async function answer(line: string, nonces: { client: string; broker: string }): Promise<LocalAnswer> {
    const request = parseLocalRequest(line);
    if (!request) return failure('INVALID_INPUT', 'The request is not one this broker understands.');
    if (!proofsMatch(request.proof, clientProof(handlers.token, nonces.client, nonces.broker))) {
      return failure('BROKER_UNAVAILABLE', 'The broker token does not match; the broker may have restarted.');
    }
    try {
      return await dispatch(request);
    } catch (error) {
      const coded = toAppError(error);
      return failure(coded.code, coded.message);
    }
  }

  async function dispatch(request: LocalRequest): Promise<LocalAnswer> {
    switch (request.op) {
      case 'credentials': {
        const format = request.format ?? 'external';
        const mode: AuditMode = format === 'external' ? 'External' : 'Local';
        const outcome = await handlers.broker.viaLocal(request.profile, mode);
        if (!outcome.ok)
          return {
            ok: false,
            code: outcome.appCode,
            message: outcome.message,
            ...(outcome.switchedOff ? { fallback: true } : {}),
          };
        const { profile, credentials } = outcome;
        return {
          ok: true,
          op: 'credentials',
          profile: { id: profile.id, name: profile.name },
          credentials: { ...credentials, expiration: credentials.expiration.toISOString() },
        };
      }
      case 'rotate': {
        const { profile, secret } = await handlers.rotate(request.profile);
        return { ok: true, op: 'rotate', profile: { id: profile.id, name: profile.name }, secret };
      }
      case 'reload':
        await handlers.reload(request.profile);
        return { ok: true, op: 'reload' };
      case 'status':
        return { ok: true, op: 'status', ...handlers.status() };
    }
  }
}

function failure(code: ErrorCode, message: string): LocalAnswer {
  return { ok: false, code, message };
}

/**
 * Listens on the socket (mode 0600, in a 0700 folder of ours) or named pipe. A socket of ours
 * left by a broker that died is removed; one that still answers means another broker runs.
 * Anything else at the path (another user's socket, placed there while the folder was open) is
 * removed unasked: we own the folder, and the client would refuse it anyway.
 */
export async function listenLocal(server: Server, path: string): Promise<void> {
  if (process.platform !== 'win32') {
    const existing = await lstat(path).catch(() => undefined);
    if (existing?.isSocket() && existing.uid === ownUid() && (await answers(path)))
      throw new AppError('BROKER_UNAVAILABLE', 'Another broker already runs for this data folder.');
    if (existing) await unlink(path).catch(() => undefined);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (process.platform !== 'win32') await chmod(path, 0o600);
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ path });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
