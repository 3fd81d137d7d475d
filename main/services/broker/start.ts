import { randomBytes } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { Server as NetServer } from 'node:net';
import path from 'node:path';
import { AppError, isAppError } from '../core/errors.js';
import { ensurePrivateDir } from '../core/paths.js';
import type { Profile, ProfilesFile } from '../profiles/schema.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { findProfile } from '../store/profile-store.js';
import { AuditLog } from './audit-log.js';
import { CredentialBroker, type CredentialSource } from './broker.js';
import { brokerRequest } from './client.js';
import { PROTOCOL_VERSION, type BrokerEndpoint } from './local-protocol.js';
import { createLocalServer, listenLocal } from './local-server.js';
import { auditFile, brokerDir, endpointFile, socketPath, socketPathFits } from './paths.js';
import { ensureOwnPrivateDir } from './private-dir.js';
import { ProfileCache } from './profile-cache.js';
import { UriSecrets } from './uri-secrets.js';
import { createUriServer, listenUri } from './uri-server.js';

export interface StartBrokerOptions {
  dataDir: string;
  /** The CredentialsURI port on 127.0.0.1. */
  port: number;
  /** The profiles file (a ProfileStore fits). */
  store: { read(): Promise<ProfilesFile>; readonly file: string };
  secrets: SecretStore;
  /** Credentials per profile, cached and single-flight (an StsService fits). */
  sts: CredentialSource;
  /** How often credentials in use are checked for renewal (default 60 s). */
  renewEveryMs?: number;
  /** Default: `<dataDir>/broker/audit.jsonl`, 1 MiB before rotation. */
  audit?: AuditLog;
}

export interface RunningBroker {
  readonly port: number;
  readonly socket: string;
  readonly audit: AuditLog;
  readonly uriSecrets: UriSecrets;
  /** Stops both servers, removes the socket and the endpoint file, writes the audit log. */
  close(): Promise<void>;
}

/**
 * Starts the broker: the CredentialsURI server on 127.0.0.1:port and the local channel, then
 * publishes the endpoint (0600). Refuses to start when another broker answers for this data dir.
 */
export async function startBroker(options: StartBrokerOptions): Promise<RunningBroker> {
  const { dataDir, store, secrets } = options;
  await ensurePrivateDir(dataDir);
  // The socket and the endpoint file only in folders of ours that no one else may enter.
  await ensureOwnPrivateDir(brokerDir(dataDir), 'broker folder');
  const socket = socketPath(dataDir);
  if (!socketPathFits(socket))
    throw new AppError(
      'BROKER_UNAVAILABLE',
      `The broker's socket path ${socket} is too long for a Unix socket. Set XDG_RUNTIME_DIR, or a shorter ALICLOUD_SIGNIN_HOME.`,
    );
  if (process.platform !== 'win32') await ensureOwnPrivateDir(path.dirname(socket), 'broker socket folder');
  // Another user's socket at our path is no broker of ours: listenLocal replaces it.
  const running = await brokerRequest({ op: 'status' }, { dataDir, timeoutMs: 2000 }).catch((error: unknown) => {
    if (isAppError(error, 'BROKER_UNTRUSTED')) return undefined;
    throw error;
  });
  if (running?.ok && running.op === 'status') {
    throw new AppError(
      'BROKER_UNAVAILABLE',
      `A broker already runs for this data folder (process ${running.pid}, port ${running.port}).`,
    );
  }

  const audit = options.audit ?? new AuditLog(auditFile(dataDir));
  const uriSecrets = new UriSecrets(secrets);
  const profiles = new ProfileCache(store);
  const broker = new CredentialBroker({
    profiles,
    readProfiles: () => store.read(),
    sts: options.sts,
    uriSecrets,
    audit,
  });
  const token = randomBytes(32).toString('hex');
  const startedAt = new Date().toISOString();

  const resolve = async (ref: string): Promise<Profile> => {
    const file = await store.read();
    profiles.adopt(file);
    const profile = findProfile(file, ref);
    if (!profile) throw new AppError('PROFILE_NOT_FOUND', `There is no profile named "${ref}".`);
    return profile;
  };
  const uri = createUriServer(broker, audit, options.port);
  const local = createLocalServer({
    broker,
    token,
    rotate: async (ref) => {
      const profile = await resolve(ref);
      return { profile, secret: await uriSecrets.rotate(profile.id) };
    },
    reload: async (ref) => {
      profiles.invalidate();
      if (ref === undefined) return uriSecrets.reload();
      const profile = await resolve(ref).catch(() => undefined);
      uriSecrets.reload(profile?.id ?? ref);
      broker.forget(profile?.id ?? ref);
      if (profile && (profile.status !== 'signed-in' || !profile.brokerEnabled)) options.sts.forget(profile.id);
    },
    status: () => ({ pid: process.pid, port: options.port, startedAt }),
  });

  const port = await listenUri(uri, options.port);
  try {
    await listenLocal(local, socket);
  } catch (error) {
    await closeServer(uri);
    throw error;
  }
  const endpoint: BrokerEndpoint = { v: PROTOCOL_VERSION, pid: process.pid, socket, token, port, startedAt };
  await writeFileAtomic(endpointFile(dataDir), `${JSON.stringify(endpoint)}\n`);

  // Renewal ahead of expiry for profiles in use (the StsService renews within its margin).
  const renewer = setInterval(() => void broker.renewRecent(), options.renewEveryMs ?? 60_000).unref();

  let closing: Promise<void> | undefined;
  return {
    port,
    socket,
    audit,
    uriSecrets,
    close: () =>
      (closing ??= (async () => {
        clearInterval(renewer);
        profiles.close();
        await Promise.all([closeServer(uri), closeServer(local)]);
        // Only our own endpoint: a broker started after this one must keep its file.
        const current = await readFile(endpointFile(dataDir), 'utf8').catch(() => '');
        if (current.includes(token)) await unlink(endpointFile(dataDir)).catch(() => undefined);
        if (process.platform !== 'win32') await unlink(socket).catch(() => undefined);
        await audit.flush();
      })()),
  };
}

function closeServer(server: Server | NetServer): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}
