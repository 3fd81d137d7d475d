/*
 * "Open the console as this profile": STS credentials (a running broker's first) turned into a
 * one-time federation sign-in, handed to the browser through a private page, never on a command
 * line. `console` and the window's Console button call this.
 */
import type { StsCredentials } from '../oss/types.js';
import { consoleSigninUrl } from '../console/federation.js';
import { openThroughPrivatePage } from '../console/page.js';
import type { FetchLike } from '../net/http.js';
import type { Profile } from '../profiles/schema.js';

export interface ConsoleDeps {
  dataDir: string;
  fetch: FetchLike;
  env?: NodeJS.ProcessEnv;
  /** The profile's STS credentials: the broker's when one runs, else exchanged under the refresh lock. */
  credentials: (profile: Profile) => Promise<StsCredentials>;
  /** Opens a file:// URL in the person's browser. */
  open: (url: string) => Promise<void>;
}

export interface ConsoleRequest {
  profile: Profile;
  /** An official console address to land on (default: the site's console home). */
  destination?: string;
  signal?: AbortSignal;
  /** The browser was started: the page waits to be read from here on. */
  onOpened?: () => void;
}

/** The one-time sign-in URL (a secret for 30 seconds): for `console --print` only. */
export async function consoleUrl(
  deps: Pick<ConsoleDeps, 'fetch' | 'credentials'>,
  request: ConsoleRequest,
): Promise<string> {
  return consoleSigninUrl({
    fetch: deps.fetch,
    profile: request.profile,
    credentials: await deps.credentials(request.profile),
    ...(request.destination !== undefined ? { destination: request.destination } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
}

/** Signs the browser in to the console; resolves once the private page is gone (read, or 30 s passed). */
export async function openConsole(deps: ConsoleDeps, request: ConsoleRequest): Promise<void> {
  const url = await consoleUrl(deps, request);
  await openThroughPrivatePage({
    url,
    dataDir: deps.dataDir,
    open: deps.open,
    ...(deps.env ? { env: deps.env } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onOpened ? { onOpened: request.onOpened } : {}),
  });
}
