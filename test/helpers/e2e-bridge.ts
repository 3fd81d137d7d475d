/**
 * The end-to-end bridge: a small loopback HTTP server that serves the BUILT renderer (out/renderer,
 * with the same Content-Security-Policy header the shell sends) and gives the page the desktop
 * backend's own handler table and events. The shell binds that table to Electron's IPC; this binds
 * it to HTTP: only the transport differs. The page gets `window.alicloud = createApi(transport)`
 * from test/e2e/bridge-page.ts, injected before the app's script (see `pageScript`).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Backend } from '../../main/ipc/handlers.js';
import { contentSecurityPolicy, RENDERER_FILE_TYPES } from '../../main/ipc/security.js';
import { isChannel } from '../../main/ipc/table.js';
import { EVENT_NAMES } from '../../shared/contract.js';
import {
  EVENTS_PATH,
  HELLO,
  INVOKE_PATH,
  RESULT,
  type Hello,
  type InvokeBody,
  type ResultMessage,
} from '../e2e/bridge-protocol.js';

const PAGE_ENTRY = fileURLToPath(new URL('../e2e/bridge-page.ts', import.meta.url));
const MAX_BODY = 64 * 1024;

export interface E2eBridgeOptions {
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** What the shell binds too: createDesktopBackend(...). */
  backend: Pick<Backend, 'handlers' | 'events'>;
}

export interface E2eBridge {
  /** `http://127.0.0.1:PORT`: the page's own origin. */
  readonly origin: string;
  /** The page entry (`${origin}/index.html`). */
  readonly url: string;
  /** Pages connected to the event stream now. */
  clients(): number;
  /** Every call answered so far, in order (for the tests to check what the window was told). */
  readonly answers: ReadonlyArray<{ channel: string; result: unknown }>;
  close(): Promise<void>;
}

/** The page side, bundled once per process as a classic script for `page.addInitScript`. */
let bundled: Promise<string> | undefined;
export function pageScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [PAGE_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  }).then((result) => {
    const file = result.outputFiles[0];
    if (!file) throw new Error('esbuild produced no page script');
    return file.text;
  });
  return bundled;
}

export async function startE2eBridge(options: E2eBridgeOptions): Promise<E2eBridge> {
  const root = resolve(options.rendererDir);
  const { handlers, events } = options.backend;
  const streams = new Map<string, ServerResponse>();
  const answers: Array<{ channel: string; result: unknown }> = [];
  const csp = contentSecurityPolicy('header');
  let origin = '';

  const send = (res: ServerResponse, event: string, data: unknown) => {
    // JSON has no raw newlines, so one `data:` line per message.
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  function openStream(req: IncomingMessage, res: ServerResponse): void {
    // EventSource is a same-origin GET: the browser marks it so.
    if (req.headers['sec-fetch-site'] !== 'same-origin') return void res.writeHead(403).end();
    const client = randomBytes(9).toString('base64url');
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 500\n\n');
    send(res, HELLO, { client, events: [...EVENT_NAMES] } satisfies Hello);
    streams.set(client, res);
    const unsubscribe = EVENT_NAMES.map((name) => events.subscribe(name, (payload) => send(res, name, payload)));
    res.on('close', () => {
      streams.delete(client);
      for (const off of unsubscribe) off();
    });
  }

  async function invoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The shell checks the sender is our own page; here, that the call comes from the page's origin.
    if (req.headers.origin !== origin) return void res.writeHead(403).end();
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return void res.writeHead(415).end();
    let body: InvokeBody;
    try {
      body = JSON.parse(await readBody(req)) as InvokeBody;
    } catch {
      return void res.writeHead(400).end();
    }
    const stream = typeof body?.client === 'string' ? streams.get(body.client) : undefined;
    if (!stream || !Number.isSafeInteger(body.id)) return void res.writeHead(400).end();
    if (!isChannel(body.channel)) return void res.writeHead(404).end();
    res.writeHead(202).end();
    const channel = body.channel;
    // The table parses the request with the channel's schema and wraps every failure: never throws.
    const result = await handlers[channel](body.request);
    answers.push({ channel, result });
    if (!stream.writableEnded) send(stream, RESULT, { id: body.id, result } satisfies ResultMessage);
  }

  async function serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    const pathname = new URL(req.url ?? '/', origin).pathname;
    // Chromium asks for one; the app has none (as under the shell's app:// scheme).
    if (pathname === '/favicon.ico') return void res.writeHead(204).end();
    const relative = normalize(decodeURIComponent(pathname)).replace(/^[/\\]+/, '') || 'index.html';
    const file = join(root, relative);
    const type = RENDERER_FILE_TYPES[extname(file).toLowerCase()];
    if (!file.startsWith(root + sep) || !type) return void res.writeHead(404).end();
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      return void res.writeHead(404).end();
    }
    res.writeHead(200, {
      'content-type': type,
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const done = (error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
      console.error(
        `e2e bridge: ${req.method} ${path} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    };
    if (path === EVENTS_PATH && req.method === 'GET') return openStream(req, res);
    if (path === INVOKE_PATH && req.method === 'POST') return void invoke(req, res).catch(done);
    void serveFile(req, res).catch(done);
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ready());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    url: `${origin}/index.html`,
    clients: () => streams.size,
    answers,
    close: () =>
      new Promise<void>((closed) => {
        for (const stream of streams.values()) stream.end();
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
