import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { parseJson, support } from '../net/answer.js';
import type { FetchLike } from '../net/http.js';
import type { StsCredentials } from '../oss/types.js';
import { rpcTimestamp, signRpc } from './rpc-signature.js';

const STS_API_VERSION = '2015-04-01';

export interface AssumeRoleInput {
  /** `https://sts.aliyuncs.com` (the RPC path is `/`). */
  endpoint: string;
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  externalId?: string;
  /** The caller's STS credentials (the source profile's). */
  source: StsCredentials;
  /** Signing time (the STS server's clock, as far as it is known). */
  now: Date;
  signal?: AbortSignal;
}

/** Who and what the words of an error name; never a secret. */
export interface AssumeRoleLabels {
  profileName: string;
  sourceName: string;
}

export type AssumeRoleOutcome =
  | { kind: 'issued'; credentials: StsCredentials; assumedRoleId: string | undefined; requestId: string | undefined }
  /** STS did not take the source's credentials (expired, unknown): renew them and try once more. */
  | { kind: 'source-rejected'; code: string; requestId: string | undefined }
  /** STS says the request's time is off: the server clock learned its Date; sign again once. */
  | { kind: 'clock-skew'; code: string; requestId: string | undefined };

const Issued = z.object({
  RequestId: z.string().optional(),
  AssumedRoleUser: z.object({ AssumedRoleId: z.string().optional(), Arn: z.string().optional() }).optional(),
  Credentials: z.object({
    AccessKeyId: z.string().min(1),
    AccessKeySecret: z.string().min(1),
    SecurityToken: z.string().min(1),
    Expiration: z.string().min(1),
  }),
});

// Only Code and RequestId are ever read: STS's Message can quote the string to sign, which holds
// the caller's AccessKeyId and SecurityToken.
const Failure = z.object({ Code: z.string().optional(), RequestId: z.string().optional() });

/**
 * One STS `AssumeRole` RPC call (2015-04-01, signature 1.0 HMAC-SHA1), POSTed as a form so that no
 * credential travels in a URL, through the injected fetch (proxy, CA). Refusals are classified by
 * STS's Code first and the HTTP status second; the words never hold a secret or STS's message.
 */
export async function assumeRole(
  fetch: FetchLike,
  input: AssumeRoleInput,
  labels: AssumeRoleLabels,
): Promise<AssumeRoleOutcome> {
  const params: Record<string, string> = {
    Action: 'AssumeRole',
    Version: STS_API_VERSION,
    Format: 'JSON',
    AccessKeyId: input.source.accessKeyId,
    SecurityToken: input.source.securityToken,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID(),
    Timestamp: rpcTimestamp(input.now),
    RoleArn: input.roleArn,
    RoleSessionName: input.sessionName,
    DurationSeconds: String(input.durationSeconds),
    ...(input.externalId ? { ExternalId: input.externalId } : {}),
  };
  const signed = signRpc('POST', params, input.source.accessKeySecret);
  const url = new URL('/', input.endpoint);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(signed).toString(),
    // The body carries the source's security token: a redirect is refused, never followed.
    redirect: 'manual',
    signal: input.signal ?? null,
  });
  const host = url.host;
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw new AppError(
      'BAD_RESPONSE',
      `${host} answered AssumeRole with a redirect (HTTP ${response.status}), which is not followed: the request carries temporary credentials. Check the profile's STS endpoint.`,
    );
  }
  const body = parseJson(await response.text());
  const failure = Failure.safeParse(body).data ?? {};
  const code = failure.Code && /^[\w.]{1,100}$/.test(failure.Code) ? failure.Code : undefined;
  const requestId = failure.RequestId;

  if (response.status === 200) {
    const issued = Issued.safeParse(body);
    const expiration = issued.success ? Date.parse(issued.data.Credentials.Expiration) : NaN;
    if (!issued.success || Number.isNaN(expiration)) {
      throw new AppError(
        'BAD_RESPONSE',
        `${host} answered AssumeRole for profile "${labels.profileName}" without usable credentials (missing or malformed fields).${support(requestId)}`,
      );
    }
    const c = issued.data.Credentials;
    return {
      kind: 'issued',
      credentials: {
        accessKeyId: c.AccessKeyId,
        accessKeySecret: c.AccessKeySecret,
        securityToken: c.SecurityToken,
        expiration: new Date(expiration),
      },
      assumedRoleId: issued.data.AssumedRoleUser?.AssumedRoleId,
      requestId: issued.data.RequestId,
    };
  }
  if (code && /^(InvalidAccessKeyId|InvalidSecurityToken|MissingSecurityToken)/.test(code)) {
    return { kind: 'source-rejected', code, requestId };
  }
  if (code && /^(InvalidTimeStamp|RequestTimeTooSkewed)/.test(code)) return { kind: 'clock-skew', code, requestId };
  throw refusal(response.status, code, requestId, host, input, labels, body === undefined);
}

function refusal(
  status: number,
  code: string | undefined,
  requestId: string | undefined,
  host: string,
  input: AssumeRoleInput,
  labels: AssumeRoleLabels,
  notJson: boolean,
): AppError {
  const said = `(STS: ${code ?? `HTTP ${status}`})${support(requestId)}`;
  const role = input.roleArn;
  if (code === 'EntityNotExist.Role' || code?.startsWith('EntityNotExist')) {
    return new AppError(
      'ROLE_NOT_ASSUMABLE',
      `Role ${role} does not exist ${said}. Check the account id and the role name in --assume-role.`,
    );
  }
  if (code?.startsWith('NoPermission') || (status === 403 && !notJson && code === undefined)) {
    return new AppError(
      'ROLE_NOT_ASSUMABLE',
      `"${labels.sourceName}" may not assume ${role} ${said}. The role's trust policy must name this identity ` +
        '(or its account), the identity needs permission for sts:AssumeRole (AliyunSTSAssumeRoleAccess), ' +
        'an Alibaba Cloud account itself (root) cannot assume roles, and a role that expects an external ID needs --external-id.',
    );
  }
  if (code === 'InvalidParameter.DurationSeconds') {
    return new AppError(
      'ROLE_DURATION_TOO_LONG',
      `${role} does not allow sessions of ${input.durationSeconds} s ${said}: the role's maximum session duration is lower ` +
        '(a role assumed with a role’s credentials gets at most 3600 s). Add the profile again with a shorter --duration.',
    );
  }
  if (code?.startsWith('InvalidParameter') || code?.startsWith('MissingParameter')) {
    const which = code.split('.')[1] ?? 'a parameter';
    return new AppError('INVALID_INPUT', `STS refused ${which} of role profile "${labels.profileName}" ${said}.`);
  }
  if (status >= 500 || code?.startsWith('Throttling') || code === 'ServiceUnavailable') {
    return new AppError('SERVER_ERROR', `${host} could not assume the role right now ${said}. Try again in a moment.`);
  }
  if (notJson) {
    return new AppError(
      'BAD_RESPONSE',
      `${host} sent an answer to AssumeRole that is not JSON (HTTP ${status}). Check --sts-endpoint and any proxy in between.`,
    );
  }
  if (code === 'SignatureDoesNotMatch') {
    return new AppError(
      'EXCHANGE_FAILED',
      `${host} did not accept the signature of the AssumeRole request for "${labels.profileName}" ${said}: ` +
        `the credentials of "${labels.sourceName}" may be damaged, or a proxy changed the request.`,
    );
  }
  return new AppError('EXCHANGE_FAILED', `${host} refused to assume ${role} for "${labels.profileName}" ${said}.`);
}
