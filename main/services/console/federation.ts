import { endpointsOf, KNOWN_SITES } from '../auth/sites.js';
import { AppError } from '../core/errors.js';
import type { FetchLike } from '../net/http.js';
import type { StsCredentials } from '../oss/types.js';
import type { Profile } from '../profiles/schema.js';

/** The console home page of each site: where a console sign-in lands unless told otherwise. */
const CONSOLE_HOME = {
  cn: 'https://home.console.aliyun.com/',
  intl: 'https://home.console.alibabacloud.com/',
} as const;

/** Alibaba accepts only its own addresses as a Destination. */
const OFFICIAL_DOMAINS = ['aliyun.com', 'alibabacloud.com'];

/**
 * The federation endpoint (GetSigninToken, Login) of the profile's site. A custom site serves it
 * at `/federation` on its sign-in (authorization) host, as Alibaba does on signin.aliyun.com.
 */
function federationEndpoint(profile: Pick<Profile, 'site' | 'endpoints' | 'name'>): string {
  if (profile.site !== 'custom') return KNOWN_SITES[profile.site].endpoints.federation as string;
  return new URL('/federation', endpointsOf(profile).authorization).href;
}

/** The destination to land on: `--destination` checked to be an official https address, or the console home. */
function consoleDestination(profile: Pick<Profile, 'site'>, requested?: string): string {
  const fallback = profile.site === 'intl' ? CONSOLE_HOME.intl : CONSOLE_HOME.cn;
  if (requested === undefined) return fallback;
  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    throw new AppError('INVALID_INPUT', '--destination must be a full https:// URL of the Alibaba Cloud console.');
  }
  const host = url.hostname.toLowerCase();
  const official = OFFICIAL_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
  if (url.protocol !== 'https:' || !official || url.username || url.password) {
    throw new AppError(
      'INVALID_INPUT',
      '--destination must be an https:// address on aliyun.com or alibabacloud.com (an official Alibaba Cloud console page).',
    );
  }
  return url.href;
}

export interface ConsoleSigninOptions {
  fetch: FetchLike;
  profile: Profile;
  credentials: StsCredentials;
  destination?: string;
  signal?: AbortSignal;
}

/**
 * A one-time console sign-in URL: `GetSigninToken` (TicketType=mini) with the STS credentials,
 * then the `Login` URL carrying the token. The URL signs whoever opens it in for 30 seconds: it is
 * returned, never logged, and no error message here quotes a URL or a body.
 */
export async function consoleSigninUrl(options: ConsoleSigninOptions): Promise<string> {
  const { profile, credentials } = options;
  const endpoint = federationEndpoint(profile);
  const destination = consoleDestination(profile, options.destination);
  const ask = new URL(endpoint);
  ask.search = new URLSearchParams({
    Action: 'GetSigninToken',
    AccessKeyId: credentials.accessKeyId,
    AccessKeySecret: credentials.accessKeySecret,
    SecurityToken: credentials.securityToken,
    TicketType: 'mini',
  }).toString();
  // The query carries the STS credentials: a redirect is refused, never followed.
  const response = await options.fetch(ask, {
    headers: { accept: 'application/json' },
    redirect: 'manual',
    signal: options.signal ?? null,
  });
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw new AppError(
      'BAD_RESPONSE',
      `${ask.host} answered the console sign-in with a redirect (HTTP ${response.status}), which is not followed: ` +
        'the request carries your temporary credentials.',
    );
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const token = typeof body?.SigninToken === 'string' && body.SigninToken !== '' ? body.SigninToken : undefined;
  if (!token) throw refusal(response.status, body, ask.host, profile.name);

  const login = new URL(endpoint);
  login.search = new URLSearchParams({
    Action: 'Login',
    // Where Alibaba sends the person when the console session ends: the site's sign-in page.
    LoginUrl: new URL('/', endpoint).href,
    Destination: destination,
    SigninToken: token,
  }).toString();
  return login.href;
}

function refusal(status: number, body: Record<string, unknown> | undefined, host: string, name: string): AppError {
  const code = typeof body?.Code === 'string' && /^[\w.-]{1,80}$/.test(body.Code) ? ` (${body.Code})` : '';
  const requestId =
    typeof body?.RequestId === 'string' && /^[\w-]{1,100}$/.test(body.RequestId)
      ? ` For support: request ID ${body.RequestId}.`
      : '';
  if (status >= 500) {
    return new AppError(
      'SERVER_ERROR',
      `${host} could not start a console sign-in right now (HTTP ${status}${code}). Try again in a moment.${requestId}`,
    );
  }
  if (status >= 400) {
    return new AppError(
      'ACCESS_DENIED',
      `${host} refused to sign profile "${name}" in to the console with its STS credentials (HTTP ${status}${code}). ` +
        'Alibaba documents console sign-in for credentials from AssumeRole; the site may not accept the kind that signing in issues. ' +
        `The credentials themselves still work for the CLI and SDKs.${requestId}`,
    );
  }
  return new AppError(
    'BAD_RESPONSE',
    `${host} answered the console sign-in without a sign-in token (HTTP ${status}${code}).${requestId}`,
  );
}
