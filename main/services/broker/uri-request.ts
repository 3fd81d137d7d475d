import type { UriFailureCode } from './uri-body.js';

/** The path prefix of the CredentialsURI endpoint. */
export const URI_PATH_PREFIX = '/v1/credentials/';

/** A profile id (as the profile schema allows) and a 256-bit secret in base64url (43 characters). */
const CREDENTIALS_PATH = /^\/v1\/credentials\/([A-Za-z0-9_-]{8,64})\/([A-Za-z0-9_-]{43})$/;

/** What the server needs of a request; node:http's IncomingMessage fits. */
export interface UriRequest {
  method?: string | undefined;
  url?: string | undefined;
  headers: { host?: string | undefined; origin?: string | undefined; [name: string]: string | string[] | undefined };
}

type Refusal = 'foreign-host' | 'origin' | 'method' | 'not-found';

export type UriRequestCheck =
  | { kind: 'credentials'; profileId: string; secret: string }
  | { kind: 'refused'; reason: Refusal; status: number; code: UriFailureCode; message: string };

/**
 * Decides, without any I/O, whether a request may ask for credentials at all. Refused, in this
 * order: a Host other than 127.0.0.1 or localhost with our port (a DNS-rebinding page reaches us
 * under its own name), any Origin header (browsers send it, the SDKs and the CLI do not), a method
 * other than GET, and any path but `/v1/credentials/<profile-id>/<secret>` (no query string).
 */
export function checkUriRequest(req: UriRequest, port: number): UriRequestCheck {
  if (!hostAllowed(req.headers.host, port)) {
    return refuse(
      'foreign-host',
      421,
      'MisdirectedRequest',
      'This server only answers requests addressed to 127.0.0.1 or localhost.',
    );
  }
  if (req.headers.origin !== undefined) {
    return refuse('origin', 403, 'Forbidden', 'Requests from web pages are refused.');
  }
  if (req.method !== 'GET') {
    return refuse('method', 405, 'MethodNotAllowed', 'Only GET is allowed.');
  }
  const match = CREDENTIALS_PATH.exec(req.url ?? '');
  if (!match?.[1] || !match[2]) return refuse('not-found', 404, 'NotFound', 'There is nothing here.');
  return { kind: 'credentials', profileId: match[1], secret: match[2] };
}

/** `127.0.0.1:PORT` or `localhost:PORT` (any case); without a port only when the port is 80. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const suffix = `:${port}`;
  // The common case without allocating: exactly what the CLI and the SDKs send.
  if (host.endsWith(suffix) && host.length === 9 + suffix.length && host.startsWith('127.0.0.1')) return true;
  const value = host.toLowerCase();
  if (value === `127.0.0.1${suffix}` || value === `localhost${suffix}`) return true;
  return port === 80 && (value === '127.0.0.1' || value === 'localhost');
}

function refuse(reason: Refusal, status: number, code: UriFailureCode, message: string): UriRequestCheck {
  return { kind: 'refused', reason, status, code, message };
}

/** The URL a CLI profile or an SDK is given: always the literal loopback IP, which tools allow over http. */
export function credentialsUri(port: number, profileId: string, secret: string): string {
  return `http://127.0.0.1:${port}${URI_PATH_PREFIX}${profileId}/${secret}`;
}
