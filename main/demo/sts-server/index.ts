import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { DemoUser } from '../provider/types.js';
import { defaultUsers } from '../provider/users.js';
import type { StsRegistry } from '../sts-registry.js';
import { assumeRole } from './assume.js';
import { defaultRoles, type DemoRole } from './roles.js';
import { NonceLedger, requestParams, verifyRpc, type RpcError } from './rpc.js';

export { DEMO_SECOND_ACCOUNT_ID, secondAccountBuckets } from './roles.js';

export interface StsServerOptions {
  /** Where credentials are looked up and issued (shared with the demo site and the OSS server). */
  sts: StsRegistry;
  tls: { key: string; cert: string };
  /** Who the site's `/v1/exchange` issued credentials to (for trust); default the demo site's users. */
  users?: readonly DemoUser[];
  roles?: readonly DemoRole[];
  /** 0 (default) picks a free port. */
  port?: number;
  /** The server's clock (ms since epoch); tests move it. */
  now?: () => number;
}

export interface StsServer {
  /** `https://127.0.0.1:PORT`: give it as a role profile's --sts-endpoint. */
  readonly url: string;
  readonly roles: readonly DemoRole[];
  /** AssumeRole answers so far. */
  readonly stats: { assumed: number; refused: number };
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

/**
 * The demo site's STS: the RPC API 2015-04-01 `AssumeRole` over HTTPS on loopback, signature 1.0
 * HMAC-SHA1 checked against the caller's STS secret, roles per account with trust, external IDs
 * and session duration rules, issuing into the registry the demo OSS server reads.
 */
export async function startStsServer(options: StsServerOptions): Promise<StsServer> {
  const roles = options.roles ?? defaultRoles();
  const users = options.users ?? defaultUsers();
  const now = options.now ?? Date.now;
  const nonces = new NonceLedger();
  const stats = { assumed: 0, refused: 0 };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID().toUpperCase();
    res.setHeader('Date', new Date(now()).toUTCString());
    if (req.method !== 'GET' && req.method !== 'POST') {
      return sendError(res, requestId, { status: 405, code: 'UnsupportedHTTPMethod', message: 'Use GET or POST.' });
    }
    const body = await readBody(req);
    if (body === undefined) {
      return sendError(res, requestId, {
        status: 413,
        code: 'RequestTooLarge',
        message: 'The request body is too large.',
      });
    }
    const params = requestParams(req.url ?? '/', req.headers['content-type'], body);
    const at = now();
    const checked = verifyRpc(req.method, params, { sts: options.sts, now: at, nonces });
    if (!checked.ok) return sendError(res, requestId, checked.error);
    const result = assumeRole({ sts: options.sts, users, roles, now: at }, checked.caller, checked.params);
    if (!result.ok) return sendError(res, requestId, result.error);
    stats.assumed += 1;
    send(res, 200, { RequestId: requestId, ...result.body });
  };

  const internal: RpcError = { status: 500, code: 'InternalError', message: 'The request processing has failed.' };
  const server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 'internal', internal);
      else res.destroy();
    });
  });
  function sendError(res: ServerResponse, requestId: string, error: RpcError): void {
    stats.refused += 1;
    send(res, error.status, {
      RequestId: requestId,
      HostId: 'sts.demo.invalid',
      Code: error.code,
      Message: error.message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}`,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    roles,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'x-acs-request-id': (body as { RequestId?: string }).RequestId ?? randomBytes(8).toString('hex'),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
