import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AppError } from '../core/errors.js';
import type { StsCredentials } from '../oss/types.js';
import type { AuditLog } from './audit-log.js';
import type { CredentialBroker } from './broker.js';
import { failureBody, successBody } from './uri-body.js';
import { checkUriRequest } from './uri-request.js';
import { canLookUpPeers, PeerUids } from './peer-uid.js';
import { ownUid } from './private-dir.js';

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } as const;
const FLAT_HEADERS = Object.entries(JSON_HEADERS).flat();

/**
 * Requests are one short line of headers: a connection that has not sent them all (or sent
 * nothing) within 5 s gets 408 and is closed at the next check, within about 6 s.
 */
export const URI_SERVER_LIMITS = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: 5_000,
  /** How often Node checks the two timeouts above (its default, 30 s, would let a slow connection live that long). */
  checkEveryMs: 1_000,
  /** Concurrent connections; more are closed at once. Well below the open-file limit, so a flood cannot starve the process. */
  maxConnections: 256,
  /** A connection of another user (Linux) is closed this long after its uid is known. */
  otherUserGraceMs: 1_000,
} as const;

export interface UriServerOptions {
  /** Who owns each client's socket; null: nobody is checked (platforms without /proc/net/tcp). Default: Linux checks. */
  peers?: PeerUids | null;
  /** The uid allowed to ask; default ours. */
  ownerUid?: number;
}

/** A connection's client: its uid once known, `unknown` when it cannot be told, or the lookup under way. */
type Peer = number | 'unknown' | Promise<number | undefined>;

/**
 * The CredentialsURI server: `GET http://127.0.0.1:PORT/v1/credentials/<profile-id>/<secret>`
 * answers the body the aliyun CLI and Alibaba's SDKs read; anything else gets a JSON error.
 * On Linux only programs of the owner's uid get an answer: a secret path another user learned
 * (by listening on the port while the broker was down) is refused with 403. Nothing it logs or
 * audits holds the URL, which carries the secret.
 */
export function createUriServer(
  broker: CredentialBroker,
  audit: AuditLog,
  port: number,
  options: UriServerOptions = {},
): Server {
  const owner = options.ownerUid ?? ownUid();
  const peers =
    options.peers !== undefined ? options.peers : canLookUpPeers() && owner !== undefined ? new PeerUids() : null;
  const peerOf = new WeakMap<Socket, Peer>();

  // One serialised body and header list per set of credentials: the StsService hands out the same object while it holds it.
  const answers = new WeakMap<StsCredentials, { body: string; headers: string[] }>();
  const answerFor = (credentials: StsCredentials) => {
    let answer = answers.get(credentials);
    if (!answer) {
      const body = successBody(credentials);
      answer = { body, headers: [...FLAT_HEADERS, 'Content-Length', String(Buffer.byteLength(body))] };
      answers.set(credentials, answer);
    }
    return answer;
  };

  const refuseUid = (res: ServerResponse, uid: number | undefined): void => {
    audit.record({
      profile: null,
      mode: 'CredentialsURI',
      outcome: 'refused-uid',
      ...(uid === undefined ? { reason: 'uid-unknown' } : { uid }),
    });
    send(res, 403, failureBody({ code: 'Forbidden', message: "This server answers only its owner's programs." }), {
      ...JSON_HEADERS,
      Connection: 'close',
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const peer = peers ? peerOf.get(req.socket) : owner;
    if (peer !== owner) {
      const uid = typeof peer === 'object' ? await peer : peer === 'unknown' ? undefined : peer;
      if (uid !== owner) {
        if (req.method !== 'GET' && req.method !== 'HEAD') req.resume();
        return refuseUid(res, uid);
      }
      const now = answerNow(req);
      if (now) return void res.writeHead(200, now.headers).end(now.body);
    }
    const check = checkUriRequest(req, port);
    if (check.kind === 'refused') {
      if (req.method !== 'GET' && req.method !== 'HEAD') req.resume();
      audit.record({ profile: null, mode: 'CredentialsURI', outcome: 'refused', reason: check.reason });
      const headers = check.status === 405 ? { ...JSON_HEADERS, Allow: 'GET' } : JSON_HEADERS;
      return send(res, check.status, failureBody(check), headers);
    }
    const outcome = await broker.viaUri(check.profileId, check.secret);
    if (!outcome.ok) return send(res, outcome.status, failureBody(outcome));
    const { body, headers } = answerFor(outcome.credentials);
    res.writeHead(200, headers).end(body);
  };

  /** Cached credentials for a request that passed every check, or undefined. */
  const answerNow = (req: IncomingMessage) => {
    const check = checkUriRequest(req, port);
    const now = check.kind === 'credentials' ? broker.viaUriNow(check.profileId, check.secret) : undefined;
    return now ? answerFor(now.credentials) : undefined;
  };

  const server = createServer(
    {
      headersTimeout: URI_SERVER_LIMITS.headersTimeoutMs,
      requestTimeout: URI_SERVER_LIMITS.requestTimeoutMs,
      keepAliveTimeout: URI_SERVER_LIMITS.keepAliveTimeoutMs,
      connectionsCheckingInterval: URI_SERVER_LIMITS.checkEveryMs,
    },
    (req, res) => {
      // The owner's cached credentials are answered right here, without a promise in between.
      if (!peers || peerOf.get(req.socket) === owner) {
        const now = answerNow(req);
        if (now) return void res.writeHead(200, now.headers).end(now.body);
      }
      handle(req, res).catch(() => {
        if (!res.headersSent)
          send(res, 500, failureBody({ code: 'InternalError', message: 'Something unexpected went wrong.' }));
        else res.destroy();
      });
    },
  );
  if (peers) {
    server.on('connection', (socket: Socket) => {
      const { remoteAddress, remotePort, localAddress, localPort } = socket;
      if (!remoteAddress || !remotePort || !localAddress || !localPort) return void peerOf.set(socket, 'unknown');
      const lookup = peers.lookup({
        clientAddress: remoteAddress,
        clientPort: remotePort,
        serverAddress: localAddress,
        serverPort: localPort,
      });
      peerOf.set(socket, lookup);
      void lookup.then((uid) => {
        peerOf.set(socket, uid ?? 'unknown');
        // Another user's connection gets its 403 if it asks at once, and cannot hold one of the
        // capped slots for the whole header timeout.
        if (uid !== owner) socket.setTimeout(URI_SERVER_LIMITS.otherUserGraceMs, () => socket.destroy());
      });
    });
  }
  server.maxConnections = URI_SERVER_LIMITS.maxConnections;
  server.maxHeadersCount = 50;
  return server;
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = JSON_HEADERS): void {
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Listens on 127.0.0.1 only; a taken port is said in plain words. */
export function listenUri(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(
          new AppError(
            'PORTS_IN_USE',
            `Port ${port} on 127.0.0.1 is taken by another program. Stop it, or pick another port with ` +
              'alicloud-signin serve --port N (then link CredentialsURI profiles again: alicloud-signin cli-config link NAME --mode uri).',
            { cause: error },
          ),
        );
      } else
        reject(
          new AppError('BROKER_UNAVAILABLE', `The broker could not listen on 127.0.0.1:${port}.`, { cause: error }),
        );
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // A deep backlog: a burst of clients connecting at once should queue, not wait for SYN retries.
    server.listen({ port, host: '127.0.0.1', exclusive: true, backlog: 4096 });
  });
}
