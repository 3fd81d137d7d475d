import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AppError } from '../core/errors.js';
import type { PortRange } from '../profiles/schema.js';
import { CALLBACK_PAGE_HEADERS, callbackPage, pickLanguage, type PageOutcome } from './callback-page.js';
import { parseRedirect, type RedirectResult } from './redirect.js';

export interface LoopbackOptions {
  ports: PortRange;
  callbackPath: string;
  /** The `state` sent in the authorization request. */
  expectedState: string;
  /** Told of each request to the callback path that was refused without ending the wait. */
  onStray?: (reason: string) => void;
}

/** The one answer a receiver accepts, already checked against the expected state. */
export type CallbackAnswer = Extract<RedirectResult, { kind: 'code' }>;

export interface LoopbackReceiver {
  /** `http://127.0.0.1:{port}{callbackPath}`, built from the bound port. */
  readonly redirectUri: string;
  readonly port: number;
  /**
   * Settles once: the code, or the site's refusal (an `error` carrying this sign-in's state).
   * Requests without this sign-in's state are stray: refused with a page, and the wait goes on.
   */
  readonly answer: Promise<CallbackAnswer>;
  close(): void;
}

const HOST = '127.0.0.1';

/**
 * Binds 127.0.0.1 on the first free port of the range (or an ephemeral one) and only then
 * reports its redirect URI, so that no other process can take the port between a check and a
 * bind. It accepts exactly one callback carrying the expected state and closes as soon as it has
 * it: another local process or a web page that requests the callback URL cannot end the wait.
 */
export async function startLoopbackReceiver(options: LoopbackOptions): Promise<LoopbackReceiver> {
  let settle!: { resolve: (a: CallbackAnswer) => void; reject: (e: AppError) => void };
  const answer = new Promise<CallbackAnswer>((resolve, reject) => (settle = { resolve, reject }));
  answer.catch(() => undefined); // the caller observes it; avoid an unhandled rejection meanwhile
  let done = false;
  let port = 0;

  const server = createServer((req, res) => {
    const refusal = refuse(req, port, options.callbackPath);
    if (refusal) {
      if (refusal.onCallbackPath) options.onStray?.(refusal.text);
      return send(res, refusal.status, refusal.text);
    }
    if (done) return send(res, 409, 'This sign-in already has its answer.');
    const parsed = parseRedirect(`http://${HOST}:${port}${req.url ?? ''}`, options);
    const stray = strayReason(parsed, options.expectedState);
    if (stray) {
      options.onStray?.(stray);
      res.writeHead(400, { ...CALLBACK_PAGE_HEADERS, connection: 'close' });
      res.end(callbackPage('stray', pickLanguage(req.headers['accept-language'])));
      return;
    }
    done = true;
    const outcome = checkCallback(parsed, options.expectedState);
    const page: PageOutcome =
      outcome instanceof AppError ? (outcome.code === 'ACCESS_DENIED' ? 'denied' : 'failed') : 'success';
    res.writeHead(page === 'success' ? 200 : 400, { ...CALLBACK_PAGE_HEADERS, connection: 'close' });
    res.end(callbackPage(page, pickLanguage(req.headers['accept-language'])), () => shutdown(server));
    if (outcome instanceof AppError) settle.reject(outcome);
    else settle.resolve(outcome);
  });
  server.keepAliveTimeout = 1_000;
  server.requestTimeout = 10_000;

  port = await bindFirstFree(server, options.ports);
  return {
    redirectUri: `http://${HOST}:${port}${options.callbackPath}`,
    port,
    answer,
    close: () => {
      if (!done) {
        done = true;
        settle.reject(new AppError('SIGNIN_CANCELLED', 'The sign-in was cancelled.'));
      }
      shutdown(server);
    },
  };
}

function refuse(
  req: IncomingMessage,
  port: number,
  callbackPath: string,
): { status: number; text: string; onCallbackPath: boolean } | undefined {
  const onCallbackPath = (req.url ?? '').split('?')[0] === callbackPath;
  // A foreign Host means a DNS-rebound page or a proxy is talking to us, not the redirect.
  if (req.headers.host !== `${HOST}:${port}`) return { status: 421, text: 'Wrong host.', onCallbackPath };
  if (req.method !== 'GET') return { status: 405, text: 'Only GET is accepted here.', onCallbackPath };
  if (!onCallbackPath) return { status: 404, text: 'Not found.', onCallbackPath };
  return undefined;
}

/**
 * Why a request on the callback path is not this sign-in's answer, or undefined when it is: it
 * must carry the state we sent, whether it brings a code or the site's error.
 */
function strayReason(result: RedirectResult, expectedState: string): string | undefined {
  if (result.kind === 'unknown') return `unreadable callback (${result.reason})`;
  if (result.state === undefined) return 'callback without a state';
  if (!sameText(result.state, expectedState)) return 'callback for another sign-in (state mismatch)';
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Turns a parsed redirect into the answer or a coded error. Shared with headless mode. */
export function checkCallback(result: RedirectResult, expectedState: string): CallbackAnswer | AppError {
  if (result.kind === 'unknown') {
    return new AppError('CALLBACK_INVALID', `The sign-in answer could not be read (${result.reason}).`);
  }
  if (result.state !== expectedState) {
    return new AppError(
      'STATE_MISMATCH',
      'The sign-in answer does not belong to this sign-in (state mismatch). Nothing was stored; start the sign-in again.',
    );
  }
  if (result.kind === 'error') {
    if (result.error === 'access_denied') {
      return new AppError('ACCESS_DENIED', 'The sign-in was refused in the browser, so nothing was stored.');
    }
    // error_description comes from the site; keep it short and printable.
    const detail = result.description ? `: ${result.description.replace(/[^\x20-\x7e]/g, '').slice(0, 200)}` : '';
    const code = result.error.replace(/[^\w.-]/g, '').slice(0, 60) || 'unknown';
    return new AppError('AUTH_ERROR', `The site refused the sign-in (${code}${detail}).`);
  }
  return result;
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function shutdown(server: Server): void {
  server.close();
  server.closeAllConnections();
}

async function bindFirstFree(server: Server, ports: PortRange): Promise<number> {
  const candidates = ports === 0 ? [0] : range(ports.from, ports.to);
  for (const candidate of candidates) {
    try {
      await listen(server, candidate);
      const address = server.address();
      if (address && typeof address === 'object') return address.port;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  const what = ports === 0 ? 'an ephemeral port' : `ports ${ports.from}-${ports.to}`;
  throw new AppError(
    'PORTS_IN_USE',
    `Every loopback port for the sign-in callback is taken (${what} on ${HOST}). Close the program using them, or run an earlier sign-in to its end, then try again.`,
  );
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host: HOST, exclusive: true });
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
