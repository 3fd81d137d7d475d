import type { StsRegistry } from '../sts-registry.js';
import { discardBody, newRequestId, rfc3339Seconds, sendError, sendJson } from './http-util.js';
import type { KoaContext, Middleware, OidcProvider } from './oidc-types.js';
import type { DemoUser, ProviderFaults, ProviderStats } from './types.js';

export const EXCHANGE_PATH = '/v1/exchange';
export const USER_STS_SCOPE = '/internal/ram/usersts';

export interface ExchangeDeps {
  provider: OidcProvider;
  users: readonly DemoUser[];
  sts: StsRegistry;
  stsTtl: number;
  faults: ProviderFaults;
  stats: ProviderStats;
}

/**
 * `POST /v1/exchange` with `Authorization: Bearer <access token>`: trades an OAuth access token
 * holding the `/internal/ram/usersts` scope for STS credentials, as the official CLI does.
 */
export function exchangeRoute(deps: ExchangeDeps): Middleware {
  let turns = 0;
  return async (ctx, next) => {
    if (ctx.path !== EXCHANGE_PATH) return next();
    discardBody(ctx.req);
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST');
      return sendError(ctx, 405, 'invalid_request', 'The exchange endpoint only accepts POST.');
    }

    const override = deps.faults.exchangeStatus;
    if (override !== undefined)
      return sendError(ctx, override, errorForStatus(override), 'The exchange failed (injected fault).');

    const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('Authorization'));
    const refuse = (error: string, description: string) => tokenError(ctx, deps, turns++, error, description);
    if (!match?.[1]) return refuse('invalid_token', 'The access token is missing.');

    // find() would accept a token up to clockTolerance past its expiry: decide that here instead.
    const token = await deps.provider.AccessToken.find(match[1], { ignoreExpiration: true });
    if (!token) return refuse('invalid_token', 'The access token is invalid.');
    if (token.isExpired) return refuse('expired_token', 'The access token is expired.');
    if (!token.scopes.has(USER_STS_SCOPE)) {
      ctx.set('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${USER_STS_SCOPE}"`);
      return sendError(ctx, 403, 'insufficient_scope', `The access token does not have the ${USER_STS_SCOPE} scope.`);
    }
    const user = deps.users.find((u) => u.sub === token.accountId);
    if (!user) return refuse('invalid_token', 'The access token is invalid.');

    const issued = deps.sts.issue(user.sub, user.aid, deps.stsTtl);
    deps.stats.exchanges += 1;
    sendJson(ctx, 200, {
      requestId: newRequestId(),
      accessKeyId: issued.accessKeyId,
      accessKeySecret: issued.accessKeySecret,
      securityToken: issued.securityToken,
      expiration: rfc3339Seconds(issued.expiration),
    });
  };
}

/**
 * Alibaba documents the error body of the exchange, not its status: the demo takes turns with
 * 400, 401 and 403 (or the pinned fault) so that no client can lean on one of them.
 */
const TOKEN_ERROR_STATUSES = [400, 401, 403] as const;

function tokenError(ctx: KoaContext, deps: ExchangeDeps, turn: number, error: string, description: string): void {
  const status =
    deps.faults.exchangeTokenErrorStatus ?? TOKEN_ERROR_STATUSES[turn % TOKEN_ERROR_STATUSES.length] ?? 401;
  if (status === 401) ctx.set('WWW-Authenticate', `Bearer error="${error}"`);
  sendError(ctx, status, error, description);
}

function errorForStatus(status: number): string {
  if (status === 401) return 'invalid_token';
  if (status === 403) return 'insufficient_scope';
  if (status === 429) return 'too_many_requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}
