import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { EnvHttpProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { AppError } from '../core/errors.js';

/** The fetch shape every service takes by injection (openid-client's customFetch has it too). */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
  /** Extra CA certificates (PEM) trusted on top of the system roots and NODE_EXTRA_CA_CERTS. */
  ca?: string | readonly string[];
  /** Per-request timeout; the caller's own signal still applies. Default 30 s. */
  timeoutMs?: number;
  /** Proxy settings; by default HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment. */
  proxy?: { httpProxy?: string; httpsProxy?: string; noProxy?: string };
  /** Sees every response (for example to measure clock skew from its Date header). */
  observe?: (response: Response, url: URL) => void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A fetch that honours the proxy environment, trusts extra CAs and times out. Node's own TLS
 * stack already trusts NODE_EXTRA_CA_CERTS; an explicit `ca` is added to the system roots
 * instead of replacing them.
 */
export function createFetch(options: HttpOptions = {}): FetchLike {
  const extra = options.ca === undefined ? [] : typeof options.ca === 'string' ? [options.ca] : [...options.ca];
  const tls = extra.length > 0 ? { ca: [...rootCertificates, ...extraFromEnv(), ...extra] } : {};
  const dispatcher: Dispatcher = new EnvHttpProxyAgent({
    ...proxyFromEnv(process.env),
    ...options.proxy,
    connect: tls,
    requestTls: tls,
  });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return async (input, init = {}) => {
    const url = new URL(input);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = (await undiciFetch(url, {
        ...(init as Parameters<typeof undiciFetch>[1]),
        signal,
        dispatcher,
      })) as unknown as Response;
    } catch (error) {
      throw networkError(error, url, init.signal ?? undefined, timeout);
    }
    options.observe?.(response, url);
    return response;
  };
}

/**
 * The proxy settings as curl reads them: the lower-case variable first, but an empty one counts
 * as unset (undici would let an empty `https_proxy` hide a set `HTTPS_PROXY`).
 */
function proxyFromEnv(env: NodeJS.ProcessEnv): { httpProxy: string; httpsProxy: string; noProxy: string } {
  const pick = (...names: string[]) => names.map((name) => env[name]?.trim()).find((value) => value) ?? '';
  const httpProxy = pick('http_proxy', 'HTTP_PROXY');
  return {
    httpProxy,
    httpsProxy: pick('https_proxy', 'HTTPS_PROXY') || httpProxy,
    noProxy: pick('no_proxy', 'NO_PROXY'),
  };
}

function extraFromEnv(): string[] {
  // An explicit `ca` replaces Node's defaults, so keep NODE_EXTRA_CA_CERTS in the list.
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return [readFileSync(file, 'utf8')];
  } catch {
    return [];
  }
}

function networkError(error: unknown, url: URL, caller: AbortSignal | undefined, timeout: AbortSignal): Error {
  if (caller?.aborted) return error instanceof Error ? error : new Error('aborted');
  if (timeout.aborted) {
    return new AppError('NETWORK', `No answer from ${url.host} in time. Check your network or proxy and try again.`, {
      cause: error,
    });
  }
  return new AppError(
    'NETWORK',
    `Could not reach ${url.host}. Check your network, proxy (HTTPS_PROXY) and certificates.`,
    {
      cause: error,
    },
  );
}
