import { AppError } from '../core/errors.js';
import { childText, parseXml, XmlError } from './xml.js';

/** The fields of OSS's `<Error>` body that the client uses. */
export interface OssErrorBody {
  code: string;
  message: string;
  requestId?: string;
  ec?: string;
  /** RequestTimeTooSkewed only: the two clocks, as OSS reports them. */
  requestTime?: string;
  serverTime?: string;
}

/** Reads an OSS `<Error>` document; undefined when the text is not one. */
export function parseOssErrorBody(text: string): OssErrorBody | undefined {
  let root;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) return undefined;
    throw error;
  }
  const code = childText(root, 'Code');
  if (root.name !== 'Error' || !code) return undefined;
  return {
    code,
    message: childText(root, 'Message') ?? '',
    requestId: childText(root, 'RequestId') || undefined,
    ec: childText(root, 'EC') || undefined,
    requestTime: childText(root, 'RequestTime') || undefined,
    serverTime: childText(root, 'ServerTime') || undefined,
  };
}

export interface OssFailure {
  status: number;
  body: OssErrorBody;
  /** From the `x-oss-request-id` header, which wins over the body's. */
  requestId?: string;
  /** Strings that must never reach a message (the credentials in use). */
  secrets: readonly string[];
}

/** Turns an OSS error answer into an AppError whose message a person can act on. */
export function ossFailureToAppError(failure: OssFailure): AppError {
  const { body, status } = failure;
  const requestId = failure.requestId ?? body.requestId;
  const support = supportSuffix(requestId, body.ec);
  switch (body.code) {
    case 'SecurityTokenExpired':
      return new AppError(
        'OSS_SECURITY_TOKEN_EXPIRED',
        `Your temporary credentials have expired and could not be renewed. Sign in again.${support}`,
      );
    case 'AccessDenied':
      return new AppError(
        'OSS_ACCESS_DENIED',
        'OSS refused to list your buckets: this identity is not allowed the RAM action oss:ListBuckets. ' +
          'Ask an administrator to grant it (for example with the AliyunOSSReadOnlyAccess policy).' +
          serverSaid(body.message, failure.secrets) +
          support,
      );
    case 'InvalidAccessKeyId':
      return new AppError(
        'OSS_INVALID_ACCESS_KEY',
        `OSS does not recognise the access key of your temporary credentials; they may have been revoked. Sign in again.${support}`,
      );
    case 'InvalidSecurityToken':
      return new AppError(
        'OSS_INVALID_ACCESS_KEY',
        `OSS did not accept the security token of your temporary credentials. Sign in again.${support}`,
      );
    case 'SignatureDoesNotMatch':
      return new AppError(
        'OSS_SIGNATURE_MISMATCH',
        'OSS could not verify the request signature. The temporary credentials may be damaged, or a proxy ' +
          `changed the request on its way. Sign in again; if it persists, check your proxy.${support}`,
      );
    case 'RequestTimeTooSkewed':
      return new AppError(
        'OSS_CLOCK_SKEW',
        `${clockDifference(body)} so OSS refused the request. ` +
          `Set the system clock right (turn on automatic date and time) and try again.${support}`,
      );
    default:
      return new AppError(
        'OSS_ERROR',
        `OSS answered with error ${body.code} (HTTP ${status}).${serverSaid(body.message, failure.secrets)}${support}`,
      );
  }
}

/** An answer that is not the XML OSS sends: a proxy page, a cut body, a wrong endpoint. */
export function badResponse(status: number, requestId: string | undefined, what: string): AppError {
  return new AppError(
    'OSS_BAD_RESPONSE',
    `OSS sent an answer that could not be read (HTTP ${status}: ${what}). Check the endpoint and any proxy in between.` +
      supportSuffix(requestId, undefined),
  );
}

/**
 * OSS answered with a redirect, which is never followed: the request carries the STS token. Names
 * the endpoint's host and where it pointed (host only: a location may carry anything).
 */
export function redirected(host: string, status: number, location: string | null): AppError {
  let target = '';
  try {
    if (location) target = ` to ${new URL(location, `https://${host}/`).host}`;
  } catch {
    // An unreadable location is left out.
  }
  return new AppError(
    'OSS_BAD_RESPONSE',
    `The OSS endpoint ${host} answered with a redirect (HTTP ${status})${target}, which is not followed: the request ` +
      'carries your temporary credentials. Check the OSS endpoint of this profile.',
  );
}

function supportSuffix(requestId: string | undefined, ec: string | undefined): string {
  if (!requestId && !ec) return '';
  const parts = [requestId ? `request ID ${requestId}` : '', ec ? `EC ${ec}` : ''].filter(Boolean);
  return ` (For support: ${parts.join(', ')}.)`;
}

function serverSaid(message: string, secrets: readonly string[]): string {
  const clean = redact(message, secrets).replace(/\s+/g, ' ').trim().slice(0, 300);
  return clean ? ` OSS said: "${clean}"` : '';
}

/** "This computer's clock is about 62 minutes behind OSS's clock," when OSS reported both times. */
function clockDifference(body: OssErrorBody): string {
  const ours = body.requestTime ? Date.parse(body.requestTime) : NaN;
  const theirs = body.serverTime ? Date.parse(body.serverTime) : NaN;
  if (Number.isNaN(ours) || Number.isNaN(theirs))
    return "This computer's clock is more than 15 minutes away from OSS's clock,";
  const minutes = Math.round(Math.abs(theirs - ours) / 60_000);
  return `This computer's clock is about ${minutes} minutes ${ours < theirs ? 'behind' : 'ahead of'} OSS's clock (OSS time ${body.serverTime}),`;
}

/** Replaces every secret in `text`; secrets shorter than 4 characters are ignored. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}
