import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AppError } from '../core/errors.js';
import type { StsCredentials } from '../oss/types.js';
import type { AuditLog } from './audit-log.js';
import type { CredentialBroker } from './broker.js';
import { failureBody, successBody } from './uri-body.js';
import { checkUriRequest } from './uri-request.js';

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } as const;
const FLAT_HEADERS = Object.entries(JSON_HEADERS).flat();

/**
 * The CredentialsURI server: `GET http://127.0.0.1:PORT/v1/credentials/<profile-id>/<secret>`
 * answers the body the aliyun CLI and Alibaba's SDKs read; anything else gets a JSON error.
 * Nothing it logs or audits holds the URL, which carries the secret.
 */
export function createUriServer(broker: CredentialBroker, audit: AuditLog, port: number): Server {
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

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
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

  const server = createServer((req, res) => {
    // Cached credentials are answered right here, without a promise in between.
    const check = checkUriRequest(req, port);
    const now = check.kind === 'credentials' ? broker.viaUriNow(check.profileId, check.secret) : undefined;
    if (now) {
      const { body, headers } = answerFor(now.credentials);
      res.writeHead(200, headers).end(body);
      return;
    }
    handle(req, res).catch(() => {
      if (!res.headersSent)
        send(res, 500, failureBody({ code: 'InternalError', message: 'Something unexpected went wrong.' }));
      else res.destroy();
    });
  });
  // Requests are tiny: refuse slow or large ones early.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
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
