import type { ErrorCode } from '../core/errors.js';
import type { StsCredentials } from '../oss/types.js';

/** `2006-01-02T15:04:05Z`: UTC, whole seconds, as the CLI and SDKs parse it. */
export function expirationText(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The CredentialsURI success body, exactly the fields the aliyun CLI and the SDKs read. */
export function successBody(creds: StsCredentials): string {
  return JSON.stringify({
    Code: 'Success',
    AccessKeyId: creds.accessKeyId,
    AccessKeySecret: creds.accessKeySecret,
    SecurityToken: creds.securityToken,
    Expiration: expirationText(creds.expiration),
  });
}

/**
 * The `Code` of a CredentialsURI failure body: PascalCase, as Alibaba's services write theirs,
 * for the SDKs and the aliyun CLI, which print it.
 */
export type UriFailureCode =
  | 'InvalidCredentialsUri'
  | 'ProfileNotFound'
  | 'ProfileSwitchedOff'
  | 'NotSignedIn'
  | 'SignInExpired'
  | 'ExchangeNotAllowed'
  | 'ExchangeFailed'
  | 'NetworkError'
  | 'UpstreamError'
  | 'KeychainUnavailable'
  | 'KeychainLocked'
  | 'KeychainError'
  | 'Busy'
  | 'InternalError'
  | 'Forbidden'
  | 'MisdirectedRequest'
  | 'MethodNotAllowed'
  | 'NotFound';

/** A failure the SDKs show as is (they print the body): a code and plain words, never a secret. */
export interface UriFailure {
  status: number;
  code: UriFailureCode;
  message: string;
}

export function failureBody(failure: Pick<UriFailure, 'code' | 'message'>): string {
  return JSON.stringify({ Code: failure.code, Message: failure.message });
}

const BY_CODE: Partial<Record<ErrorCode, Omit<UriFailure, 'message'>>> = {
  NOT_SIGNED_IN: { status: 401, code: 'NotSignedIn' },
  INVALID_GRANT: { status: 401, code: 'SignInExpired' },
  PROFILE_NOT_FOUND: { status: 404, code: 'ProfileNotFound' },
  EXCHANGE_NOT_ALLOWED: { status: 403, code: 'ExchangeNotAllowed' },
  EXCHANGE_FAILED: { status: 502, code: 'ExchangeFailed' },
  NETWORK: { status: 502, code: 'NetworkError' },
  SERVER_ERROR: { status: 502, code: 'UpstreamError' },
  BAD_RESPONSE: { status: 502, code: 'UpstreamError' },
  TOKEN_ERROR: { status: 502, code: 'UpstreamError' },
  KEYCHAIN_UNAVAILABLE: { status: 503, code: 'KeychainUnavailable' },
  KEYCHAIN_LOCKED: { status: 503, code: 'KeychainLocked' },
  KEYCHAIN_ERROR: { status: 503, code: 'KeychainError' },
  STORE_LOCKED: { status: 503, code: 'Busy' },
};

/** How an AppError code turns into an HTTP answer; the AppError's message goes with it. */
export function failureFor(code: ErrorCode): Omit<UriFailure, 'message'> {
  return BY_CODE[code] ?? { status: 500, code: 'InternalError' };
}
