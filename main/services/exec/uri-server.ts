import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { failureBody, failureFor, successBody } from '../broker/uri-body.js';
import { checkUriRequest, credentialsUri } from '../broker/uri-request.js';
import { newUriSecret, secretsMatch } from '../broker/uri-secrets.js';
import { AppError, toAppError } from '../core/errors.js';
import type { StsCredentials } from '../oss/types.js';

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } as const;

export interface ExecUriServer {
  /** `http://127.0.0.1:PORT/v1/credentials/<profile-id>/<secret>`: a secret, for the command's environment only. */
  readonly uri: string;
  close(): Promise<void>;
}

/**
 * A CredentialsURI endpoint for one exec'd command: 127.0.0.1, a port of the system's choosing, a
 * 256-bit secret of its own in the path, the broker's answer shape and request checks (Host,
 * Origin, GET only). Every request asks `renew` (which holds credentials until they near their
 * end, and renews them then), so the command gets current credentials for as long as it runs.
 * Concurrent requests share one call. Nothing it writes holds the URL.
 */
export async function startExecUriServer(
  profileId: string,
  renew: () => Promise<StsCredentials>,
): Promise<ExecUriServer> {
  const secret = newUriSecret();
  const expected = Buffer.from(secret, 'base64url');
  let port = 0;
  let pending: Promise<StsCredentials> | undefined;
  const current = () => {
    pending ??= renew().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  const server = createServer((req, res) => {
    const check = checkUriRequest(req, port);
    if (check.kind === 'refused') {
      req.resume();
      const headers = check.status === 405 ? { ...JSON_HEADERS, Allow: 'GET' } : JSON_HEADERS;
      return send(res, check.status, failureBody(check), headers);
    }
    if (check.profileId !== profileId || !secretsMatch(check.secret, expected)) {
      return send(
        res,
        403,
        failureBody({ code: 'InvalidCredentialsUri', message: 'This credentials URI is not valid.' }),
      );
    }
    current().then(
      (credentials) => send(res, 200, successBody(credentials)),
      (error: unknown) => {
        const coded = toAppError(error);
        const { status, code } = failureFor(coded.code);
        send(res, status, failureBody({ code, message: coded.message }));
      },
    );
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new AppError('INTERNAL', 'Could not listen on 127.0.0.1 for the command’s credentials.', { cause: error }),
      ),
    );
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, resolve);
  });
  port = (server.address() as AddressInfo).port;

  return {
    uri: credentialsUri(port, profileId, secret),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = JSON_HEADERS): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
