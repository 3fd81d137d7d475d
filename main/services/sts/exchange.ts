import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { parseJson, support } from '../net/answer.js';
import type { FetchLike } from '../net/http.js';
import type { StsCredentials } from '../oss/types.js';

/** The official CLI application's scope that `/v1/exchange` needs (Alibaba documents no other). */
const USER_STS_SCOPE = '/internal/ram/usersts';

const Issued = z.object({
  requestId: z.string().optional(),
  accessKeyId: z.string().min(1),
  accessKeySecret: z.string().min(1),
  securityToken: z.string().min(1),
  expiration: z.string().min(1),
});

const ErrorBody = z.object({
  error: z.string().optional(),
  requestId: z.string().optional(),
});

export type ExchangeOutcome =
  | { kind: 'issued'; credentials: StsCredentials; requestId: string | undefined }
  /** The site did not take the access token (expired, or otherwise no longer valid). */
  | { kind: 'token-rejected'; error: string; requestId: string | undefined };

/** The `error` values of the exchange that mean "this access token", whatever the HTTP status. */
const TOKEN_ERRORS = new Set(['expired_token', 'invalid_token']);

/**
 * One `POST {exchange}` with the access token as Bearer, `Content-Type: application/json` and an
 * empty body, as the official CLI and credentials-go send it. Failures are classified by the
 * body's `error` first (Alibaba documents the body, not the status), the HTTP status second. A
 * token the site turned down comes back as an outcome (the caller refreshes once); everything
 * else that is not credentials is an AppError whose words never hold the token or a body. A
 * redirect is never followed: the Bearer token goes to the exchange endpoint and nowhere else.
 */
export async function postExchange(
  fetch: FetchLike,
  endpoint: string,
  accessToken: string,
  profileName: string,
  signal?: AbortSignal,
): Promise<ExchangeOutcome> {
  const host = new URL(endpoint).host;
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
    redirect: 'manual',
    signal: signal ?? null,
  });
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new AppError(
      'BAD_RESPONSE',
      `${host} answered the credentials exchange with a redirect (HTTP ${response.status}), which is not followed: the access token goes to the exchange endpoint only. Check the profile's exchange endpoint and any proxy in between.`,
    );
  }
  const text = await response.text();
  const body = parseJson(text);
  const failure = ErrorBody.safeParse(body).data ?? {};
  const requestId = failure.requestId;

  // The body's word first: an expired token is an expired token whether it came as 400, 401 or 403.
  if (failure.error !== undefined && TOKEN_ERRORS.has(failure.error)) {
    return { kind: 'token-rejected', error: failure.error, requestId };
  }
  if (failure.error === 'insufficient_scope') {
    throw notAllowed(
      profileName,
      `the site refused the exchange (HTTP ${response.status}, insufficient_scope)`,
      requestId,
    );
  }
  if (response.status >= 500) {
    throw new AppError(
      'SERVER_ERROR',
      `${host} could not issue temporary credentials right now (HTTP ${response.status}). Try again in a moment.${support(requestId)}`,
    );
  }
  if (response.status === 403 && failure.error === undefined) {
    throw notAllowed(profileName, `the site refused the exchange (HTTP 403)`, requestId);
  }
  if (body === undefined) {
    throw new AppError(
      'BAD_RESPONSE',
      `${host} sent an answer to the credentials exchange that is not JSON (HTTP ${response.status}). ` +
        'Check the exchange endpoint and any proxy in between.',
    );
  }
  if (response.status === 401 && failure.error === undefined) {
    return { kind: 'token-rejected', error: 'invalid_token', requestId };
  }
  if (response.status !== 200) {
    throw new AppError(
      'EXCHANGE_FAILED',
      `${host} refused to issue temporary credentials (HTTP ${response.status}${failure.error ? `, ${failure.error}` : ''}).${support(requestId)}`,
    );
  }
  const issued = Issued.safeParse(body);
  const expiration = issued.success ? Date.parse(issued.data.expiration) : NaN;
  if (!issued.success || Number.isNaN(expiration)) {
    throw new AppError(
      'BAD_RESPONSE',
      `${host} answered the credentials exchange without usable credentials (missing or malformed fields).${support(requestId)}`,
    );
  }
  return {
    kind: 'issued',
    requestId: issued.data.requestId,
    credentials: {
      accessKeyId: issued.data.accessKeyId,
      accessKeySecret: issued.data.accessKeySecret,
      securityToken: issued.data.securityToken,
      expiration: new Date(expiration),
    },
  };
}

/** The exchange refused for scope, or the profile has no exchange: say why and what to do. */
export function notAllowed(profileName: string, reason: string, requestId?: string): AppError {
  return new AppError(
    'EXCHANGE_NOT_ALLOWED',
    `Profile "${profileName}" cannot get STS credentials: ${reason}. ` +
      `The exchange needs the ${USER_STS_SCOPE} scope, which Alibaba documents for its official CLI application only, ` +
      'so a sign-in through your own OAuth application can show who you are but cannot issue keys. ' +
      'To get credentials, add a profile on the cn or intl site with the official CLI application ' +
      '(the default of: alicloud-signin profile add NAME --site cn|intl), which an administrator of your ' +
      'Alibaba Cloud account provisions once and assigns to you in the RAM console (Integrations > OAuth).' +
      support(requestId),
  );
}
