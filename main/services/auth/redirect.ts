/**
 * Parses the URL a sign-in ends on (the loopback callback, the app's URL scheme, or a URL the
 * person pasted from another machine's browser). Pure and total: it never throws.
 */
export type RedirectResult =
  | { kind: 'code'; code: string; state: string | undefined; iss: string | undefined }
  | { kind: 'error'; error: string; description: string | undefined; state: string | undefined }
  | { kind: 'unknown'; reason: string };

export interface RedirectExpectation {
  /** For a loopback redirect: the exact path. */
  callbackPath?: string;
  /** For a scheme redirect: the scheme without the colon, e.g. `alicloud-signin`. */
  scheme?: string;
}

const MAX_LENGTH = 16_384;
const MAX_VALUE = 4_096;

export function parseRedirect(input: unknown, expected: RedirectExpectation = {}): RedirectResult {
  if (typeof input !== 'string') return unknown('not a string');
  const text = input.trim();
  if (text.length === 0) return unknown('empty');
  if (text.length > MAX_LENGTH) return unknown('too long');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return unknown('not a URL');
  }
  if (!matches(url, expected)) return unknown('not our redirect');

  // A callback carries its answer in the query (response_mode=query); refuse duplicated keys,
  // which an attacker could use to smuggle a second code past a naive parser.
  const params = url.searchParams;
  for (const key of ['code', 'state', 'error', 'error_description', 'iss']) {
    if (params.getAll(key).length > 1) return unknown(`repeated ${key}`);
  }
  const state = bounded(params.get('state'));
  const error = bounded(params.get('error'));
  if (error) {
    return { kind: 'error', error, description: bounded(params.get('error_description')), state };
  }
  const code = bounded(params.get('code'));
  if (code) return { kind: 'code', code, state, iss: bounded(params.get('iss')) };
  return unknown('no code and no error');
}

function matches(url: URL, expected: RedirectExpectation): boolean {
  if (expected.scheme !== undefined) return url.protocol === `${expected.scheme}:`;
  if (url.protocol !== 'http:') return false;
  if (url.hostname !== '127.0.0.1') return false;
  return expected.callbackPath === undefined || url.pathname === expected.callbackPath;
}

function bounded(value: string | null): string | undefined {
  if (value === null || value.length === 0 || value.length > MAX_VALUE) return undefined;
  return value;
}

function unknown(reason: string): RedirectResult {
  return { kind: 'unknown', reason };
}
