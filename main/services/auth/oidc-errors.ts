import * as oidc from 'openid-client';
import { AppError, type ErrorCode } from '../core/errors.js';

/**
 * Maps what openid-client throws to our coded errors. Messages are written here, never copied
 * from a response body (which could echo a token back).
 */
export function fromOidcError(error: unknown, during: 'sign-in' | 'refresh' | 'revoke'): AppError {
  // openid-client wraps what our fetch threw (a coded NETWORK error) in a ClientError.
  for (let c: unknown = error; c; c = (c as { cause?: unknown }).cause) if (c instanceof AppError) return c;
  if (error instanceof oidc.AuthorizationResponseError) {
    return error.error === 'access_denied'
      ? new AppError('ACCESS_DENIED', 'The sign-in was refused in the browser, so nothing was stored.', {
          cause: error,
        })
      : new AppError('AUTH_ERROR', `The site refused the sign-in (${safeCode(error.error)}).`, { cause: error });
  }
  if (error instanceof oidc.ResponseBodyError) {
    if (error.error === 'invalid_grant') {
      const message =
        during === 'refresh'
          ? 'The site no longer accepts this sign-in (invalid_grant): it was revoked, expired or used elsewhere. Sign in again.'
          : 'The site refused the sign-in code (invalid_grant). Start the sign-in again.';
      return new AppError('INVALID_GRANT', message, { cause: error });
    }
    if (error.status >= 500) return serverError(error.status, error);
    return new AppError(
      'TOKEN_ERROR',
      `The site refused the ${during} (${safeCode(error.error)}, HTTP ${error.status}).`,
      {
        cause: error,
      },
    );
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') {
    const status = responseStatus(error);
    if (status !== undefined && status >= 500) return serverError(status, error);
    const mapped = CODE_MAP[code];
    if (mapped) return new AppError(mapped.code, mapped.message, { cause: error });
  }
  if (error instanceof DOMException && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new AppError('SIGNIN_CANCELLED', 'The request was cancelled.', { cause: error });
  }
  return new AppError('INTERNAL', `The ${during} failed unexpectedly.`, { cause: error });
}

const BAD_RESPONSE = {
  code: 'BAD_RESPONSE',
  message: 'The site answered with something that is not a valid token response. Try again later.',
} as const;
const ID_TOKEN = {
  code: 'ID_TOKEN_INVALID',
  message:
    "The ID token from the site failed its checks (issuer, audience, expiry or nonce). Nothing was stored. Check the profile's issuer and your system clock.",
} as const;

const CODE_MAP: Record<string, { code: ErrorCode; message: string }> = {
  OAUTH_PARSE_ERROR: BAD_RESPONSE,
  OAUTH_RESPONSE_IS_NOT_JSON: BAD_RESPONSE,
  OAUTH_RESPONSE_IS_NOT_CONFORM: BAD_RESPONSE,
  OAUTH_INVALID_RESPONSE: BAD_RESPONSE,
  OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED: BAD_RESPONSE,
  OAUTH_JWT_CLAIM_COMPARISON_FAILED: ID_TOKEN,
  OAUTH_JWT_TIMESTAMP_CHECK_FAILED: ID_TOKEN,
  OAUTH_KEY_SELECTION_FAILED: ID_TOKEN,
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: ID_TOKEN,
  OAUTH_TIMEOUT: {
    code: 'NETWORK',
    message: 'The site did not answer in time. Check your network or proxy and try again.',
  },
  OAUTH_HTTP_REQUEST_FORBIDDEN: {
    code: 'INVALID_INPUT',
    message: "The site's endpoints must use https://.",
  },
};

function serverError(status: number, cause: unknown): AppError {
  return new AppError(
    'SERVER_ERROR',
    `The site had a problem (HTTP ${status}). Your sign-in is kept; try again in a moment.`,
    {
      cause,
    },
  );
}

function responseStatus(error: unknown): number | undefined {
  // The cause is a Response, possibly from undici's own realm, so do not use instanceof.
  const status = ((error as { cause?: { status?: unknown } }).cause ?? {}).status;
  return typeof status === 'number' ? status : undefined;
}

function safeCode(text: string): string {
  return text.replace(/[^\w.-]/g, '').slice(0, 60) || 'unknown';
}
