import { randomBytes } from 'node:crypto';
import type { StsRegistry } from '../sts-registry.js';
import { newRequestId } from './http-util.js';
import type { KoaContext, Middleware } from './oidc-types.js';

const FEDERATION_PATH = '/federation';
/** Alibaba's sign-in tokens are single-use and live 30 seconds. */
const SIGNIN_TOKEN_TTL_MS = 30_000;
const OFFICIAL_DOMAINS = ['aliyun.com', 'alibabacloud.com'];

export interface FederationDeps {
  sts: StsRegistry;
  now?: () => number;
}

/**
 * Alibaba's console federation on the sign-in host: `GET /federation?Action=GetSigninToken`
 * turns valid STS credentials (TicketType=mini) into a single-use 30-second SigninToken, and
 * `Action=Login` spends it and answers 302 to the Destination, which must be an official address.
 */
export function federationRoute(deps: FederationDeps): Middleware {
  const now = deps.now ?? Date.now;
  const tokens = new Map<string, { subject: string; expiresAt: number }>();

  return async (ctx, next) => {
    if (ctx.path !== FEDERATION_PATH) return next();
    if (ctx.method !== 'GET') return fail(ctx, 405, 'MethodNotAllowed', 'Only GET is supported.');
    const query = new URLSearchParams(ctx.querystring);
    const action = query.get('Action');

    if (action === 'GetSigninToken') {
      const id = query.get('AccessKeyId');
      const secret = query.get('AccessKeySecret');
      const token = query.get('SecurityToken');
      if (!id || !secret || !token)
        return fail(ctx, 400, 'MissingParameter', 'AccessKeyId, AccessKeySecret and SecurityToken are required.');
      if (query.get('TicketType') !== 'mini')
        return fail(ctx, 400, 'InvalidParameter.TicketType', 'TicketType must be mini.');
      const issued = deps.sts.lookup(id);
      if (!issued || issued.accessKeySecret !== secret || issued.securityToken !== token) {
        return fail(ctx, 403, 'InvalidSecurityToken.Mismatch', 'The security token is not valid.');
      }
      if (issued.expiration.getTime() <= now())
        return fail(ctx, 403, 'InvalidSecurityToken.Expired', 'The security token has expired.');
      for (const [key, value] of tokens) if (value.expiresAt <= now()) tokens.delete(key);
      const signinToken = randomBytes(32).toString('base64');
      tokens.set(signinToken, { subject: issued.subject, expiresAt: now() + SIGNIN_TOKEN_TTL_MS });
      return json(ctx, 200, { RequestId: newRequestId(), SigninToken: signinToken });
    }

    if (action === 'Login') {
      const signinToken = query.get('SigninToken') ?? '';
      const destination = query.get('Destination') ?? '';
      if (!query.get('LoginUrl')) return fail(ctx, 400, 'MissingParameter', 'LoginUrl is required.');
      if (!isOfficial(destination))
        return fail(ctx, 400, 'InvalidParameter.Destination', 'Destination must be an official Alibaba Cloud address.');
      const held = tokens.get(signinToken);
      tokens.delete(signinToken); // single use, even when it has expired
      if (!held || held.expiresAt <= now())
        return fail(ctx, 403, 'InvalidSigninToken', 'The sign-in token is not valid or has expired.');
      ctx.status = 302;
      ctx.set('Location', destination);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = '';
      return;
    }
    return fail(ctx, 400, 'InvalidAction', 'Action must be GetSigninToken or Login.');
  };
}

function isOfficial(value: string): boolean {
  try {
    const url = new URL(value);
    const host = url.hostname.toLowerCase();
    return url.protocol === 'https:' && OFFICIAL_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
  } catch {
    return false;
  }
}

function json(ctx: KoaContext, status: number, body: Record<string, unknown>): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
}

function fail(ctx: KoaContext, status: number, code: string, message: string): void {
  json(ctx, status, { RequestId: newRequestId(), Code: code, Message: message });
}
