import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { escapeXml } from '../../services/oss/xml.js';
import type { StsRegistry } from '../sts-registry.js';
import { authenticate, err, type OssErrorSpec, type ReceivedRequest } from './auth.js';
import { BucketCatalog } from './catalog.js';
import { seedBuckets, type SeedBucket } from './seed.js';

export { seedBuckets } from './seed.js';

/** A one-off misbehaviour for tests; `times` defaults to 1 (Infinity: until cleared). */
type OssFault =
  | { kind: 'error'; code: string; status?: number; message?: string; ec?: string; times?: number }
  | { kind: 'non-xml'; status?: number; body?: string; contentType?: string; times?: number }
  | { kind: 'slow'; delayMs: number; times?: number };

export interface OssServerOptions {
  /** Where STS credentials are looked up (the demo provider's /v1/exchange issues into it). */
  sts: StsRegistry;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Serve HTTPS with this PEM pair instead of plain HTTP. */
  tls?: { key: string; cert: string };
  buckets?: SeedBucket[];
  seed?: { count: number; seed?: number };
  /** Other accounts' buckets: credentials of that account (a role in it) list these instead. */
  accounts?: ReadonlyArray<{ id: string; buckets: readonly SeedBucket[] }>;
  /** Reported as Owner; defaults to the caller's account id. */
  owner?: { id: string; displayName: string };
  /** Default 15 minutes, as OSS. */
  clockSkewLimitMs?: number;
  /** When set, signatures scoped to another region are refused. */
  region?: string;
  /** The server's clock (ms since epoch); tests move it. */
  now?: () => number;
}

export interface OssServer {
  /** `http://localhost:PORT` (or https). */
  readonly url: string;
  /** Requests received so far. */
  readonly requests: number;
  addBuckets(buckets: readonly SeedBucket[]): void;
  setFault(fault: OssFault | undefined): void;
  close(): Promise<void>;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Starts the project's own OSS ListBuckets endpoint on loopback. */
export async function startOssServer(opts: OssServerOptions): Promise<OssServer> {
  const catalog = new BucketCatalog();
  if (opts.seed) catalog.add(seedBuckets(opts.seed.count, opts.seed.seed));
  if (opts.buckets) catalog.add(opts.buckets);
  const byAccount = new Map<string, BucketCatalog>();
  for (const account of opts.accounts ?? []) {
    const own = byAccount.get(account.id) ?? new BucketCatalog();
    own.add(account.buckets);
    byAccount.set(account.id, own);
  }
  const now = opts.now ?? Date.now;
  const skewLimit = opts.clockSkewLimitMs ?? 15 * 60_000;
  let requests = 0;
  let fault: { spec: OssFault; left: number } | undefined;
  let host = 'localhost';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests++;
    const requestId = randomBytes(12).toString('hex').toUpperCase();
    res.setHeader('x-oss-request-id', requestId);
    res.setHeader('Date', new Date(now()).toUTCString());
    res.setHeader('Server', 'AliyunOSS');

    const active = fault;
    if (active && --active.left <= 0) fault = undefined;
    if (active?.spec.kind === 'slow') {
      const delay = active.spec.delayMs;
      await new Promise((resolve) => setTimeout(resolve, delay));
    } else if (active?.spec.kind === 'non-xml') {
      res.writeHead(active.spec.status ?? 200, { 'Content-Type': active.spec.contentType ?? 'text/html' });
      res.end(active.spec.body ?? '<html><body>502 Bad Gateway (not OSS)</body></html>');
      return;
    } else if (active?.spec.kind === 'error') {
      const { code, status, message, ec } = active.spec;
      sendError(
        res,
        requestId,
        host,
        err(status ?? defaultStatus(code), code, message ?? `Injected ${code}.`, ec ?? '0000-00000000'),
      );
      return;
    }

    const parsed = parseRequest(req);
    if ('error' in parsed) return sendError(res, requestId, host, parsed.error);
    if (parsed.path !== '/') {
      return sendError(
        res,
        requestId,
        host,
        err(501, 'NotImplemented', 'This server only implements ListBuckets (GET /).', '0000-00000000'),
      );
    }
    if (parsed.method !== 'GET') {
      return sendError(
        res,
        requestId,
        host,
        err(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', '0000-00000000'),
      );
    }
    const auth = authenticate(parsed, {
      sts: opts.sts,
      now: now(),
      clockSkewLimitMs: skewLimit,
      ...(opts.region ? { region: opts.region } : {}),
    });
    if (!auth.ok) return sendError(res, requestId, host, auth.error);

    const params = new Map(parsed.query);
    const rawMax = params.get('max-keys');
    const maxKeys = rawMax === undefined ? 100 : /^\d{1,4}$/.test(rawMax) ? Number(rawMax) : NaN;
    if (!(maxKeys >= 1 && maxKeys <= 1000)) {
      return sendError(
        res,
        requestId,
        host,
        err(400, 'InvalidArgument', 'Argument max-keys must be an integer between 1 and 1000.', '0017-00000291', [
          ['ArgumentName', 'max-keys'],
          ['ArgumentValue', rawMax ?? ''],
        ]),
      );
    }
    const prefix = params.get('prefix') ?? '';
    const marker = params.get('marker') ?? '';
    const group = flat(req.headers['x-oss-resource-group-id']);
    const page = (byAccount.get(auth.sts.accountId) ?? catalog).page({
      prefix,
      marker,
      maxKeys,
      ...(group ? { resourceGroupId: group } : {}),
    });
    const owner = opts.owner ?? { id: auth.sts.accountId, displayName: auth.sts.accountId };

    let body = `${XML_DECLARATION}<ListAllMyBucketsResult>`;
    if (page.truncated) {
      body +=
        `<Prefix>${escapeXml(prefix)}</Prefix><Marker>${escapeXml(marker)}</Marker><MaxKeys>${maxKeys}</MaxKeys>` +
        `<IsTruncated>true</IsTruncated><NextMarker>${escapeXml(page.nextMarker ?? '')}</NextMarker>`;
    }
    body += `<Owner><ID>${escapeXml(owner.id)}</ID><DisplayName>${escapeXml(owner.displayName)}</DisplayName></Owner>`;
    body += `<Buckets>${page.xml.join('')}</Buckets></ListAllMyBucketsResult>`;
    res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => {
      if (!res.headersSent)
        sendError(
          res,
          'internal',
          host,
          err(500, 'InternalError', 'We encountered an internal error. Please try again.', '0000-00000000'),
        );
      else res.destroy();
    });
  };
  const server: Server = opts.tls
    ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, listener)
    : createHttpServer(listener);
  // Loopback only; `localhost` resolves to 127.0.0.1 here (and ali-oss rewrites Host for IPs).
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  host = `localhost:${port}`;
  const url = `${opts.tls ? 'https' : 'http'}://localhost:${port}`;

  return {
    url,
    get requests() {
      return requests;
    },
    addBuckets: (buckets) => catalog.add(buckets),
    setFault: (next) => {
      fault = next ? { spec: next, left: next.times ?? 1 } : undefined;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function parseRequest(req: IncomingMessage): ReceivedRequest | { error: OssErrorSpec } {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const query: Array<[string, string]> = [];
  try {
    const path = decodeURIComponent(q < 0 ? raw : raw.slice(0, q));
    for (const part of q < 0 ? [] : raw.slice(q + 1).split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const decode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
      query.push(eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
    }
    return { method: req.method ?? 'GET', path, query, headers: req.headers };
  } catch {
    return { error: err(400, 'InvalidArgument', 'The request URL is not properly percent-encoded.', '0000-00000000') };
  }
}

function sendError(res: ServerResponse, requestId: string, host: string, e: OssErrorSpec): void {
  let body =
    `${XML_DECLARATION}<Error><Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message>` +
    `<RequestId>${requestId}</RequestId><HostId>${escapeXml(host)}</HostId>`;
  for (const [name, value] of e.extra ?? []) body += `<${name}>${escapeXml(value)}</${name}>`;
  body += `<EC>${escapeXml(e.ec)}</EC></Error>`;
  res.writeHead(e.status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function defaultStatus(code: string): number {
  const known: Record<string, number> = {
    InvalidArgument: 400,
    NoSuchBucket: 404,
    InternalError: 500,
    ServiceUnavailable: 503,
  };
  return known[code] ?? 403;
}

function flat(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value || undefined;
}
