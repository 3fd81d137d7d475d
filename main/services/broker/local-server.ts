import { timingSafeEqual } from 'node:crypto';
import { chmod, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { AppError, toAppError } from '../core/errors.js';
import type { StsCredentials } from '../oss/types.js';
import type { Profile } from '../profiles/schema.js';
import type { AuditMode } from './audit-log.js';
import type { CredentialBroker } from './broker.js';
import {
  MAX_LINE_BYTES,
  parseRequest,
  type CredentialsFormat,
  type LocalAnswer,
  type LocalRequest,
} from './local-protocol.js';

/** Renders credentials as `credentials --format F` prints them (the CLI injects its renderer). */
export type CredentialsRenderer = (format: CredentialsFormat, profile: Profile, creds: StsCredentials) => string;

export interface LocalHandlers {
  broker: CredentialBroker;
  /** The per-start token (64 hex characters) every request must carry. */
  token: string;
  render?: CredentialsRenderer;
  rotate(profileRef: string): Promise<{ profile: Profile; secret: string }>;
  reload(profileRef?: string): Promise<void>;
  status(): { pid: number; port: number; startedAt: string };
}

/** Serves the local channel: one request line, one answer line, then the connection closes. */
export function createLocalServer(handlers: LocalHandlers): Server {
  const expected = Buffer.from(handlers.token, 'utf8');
  return createServer((socket) => {
    socket.setTimeout(10_000, () => socket.destroy());
    let buffered = '';
    socket.setEncoding('utf8');
    const onData = (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end < 0) {
        if (buffered.length > MAX_LINE_BYTES) socket.destroy();
        return;
      }
      socket.off('data', onData);
      socket.setTimeout(0);
      void answer(buffered.slice(0, end)).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  });

  async function answer(line: string): Promise<LocalAnswer> {
    const request = parseRequest(line);
    if (!request) return failure('INVALID_INPUT', 'The request is not one this broker understands.');
    const presented = Buffer.from(request.token, 'utf8');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
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
          ...(handlers.render ? { text: handlers.render(format, profile, credentials) } : {}),
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

function failure(code: string, message: string): LocalAnswer {
  return { ok: false, code, message };
}

/**
 * Listens on the socket (mode 0600, in a 0700 folder) or named pipe. A socket file left by a
 * broker that died is removed; one that still answers means another broker runs.
 */
export async function listenLocal(server: Server, path: string): Promise<void> {
  if (process.platform !== 'win32') {
    if (await answers(path))
      throw new AppError('BROKER_UNAVAILABLE', 'Another broker already runs for this data folder.');
    await unlink(path).catch(() => undefined);
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
