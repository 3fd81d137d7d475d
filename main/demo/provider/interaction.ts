import { readForm } from './http-util.js';
import { LOGIN_PAGE_CSP, renderErrorPage, renderLoginPage } from './login-page.js';
import type { KoaContext, Middleware, OidcInteraction, OidcProvider } from './oidc-types.js';
import type { DemoUser } from './types.js';
import { checkPassword } from './users.js';

/** The login page lives at `/signin/<interaction uid>`; oidc-provider scopes its cookie to it. */
export const INTERACTION_PATH = '/signin/';

export interface InteractionDeps {
  provider: OidcProvider;
  users: readonly DemoUser[];
  /** Every scope the site knows; anything else requested is not granted. */
  scopes: ReadonlySet<string>;
}

const UID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The demo's own login-and-consent page (oidc-provider's devInteractions are off). One form:
 * login name, password, Allow / Deny. Allow with a matching password resolves login and consent
 * at once, granting the requested scopes; Deny sends `access_denied` back to the application.
 */
export function interactionRoutes(deps: InteractionDeps): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith(INTERACTION_PATH)) return next();
    const uid = ctx.path.slice(INTERACTION_PATH.length);
    if (!UID.test(uid)) return page(ctx, 404, renderErrorPage('Not found', 'There is no such page.'));
    if (ctx.method !== 'GET' && ctx.method !== 'POST') {
      ctx.set('Allow', 'GET, POST');
      return page(ctx, 405, renderErrorPage('Method not allowed', 'Use the sign-in form.'));
    }

    let details: OidcInteraction;
    try {
      details = await deps.provider.interactionDetails(ctx.req, ctx.res);
    } catch {
      return expired(ctx);
    }
    if (details.uid !== uid) return expired(ctx);

    const model = {
      action: `${INTERACTION_PATH}${uid}`,
      clientId: String(details.params.client_id ?? ''),
      scopes: requestedScopes(details, deps.scopes),
      askCredentials: details.prompt.name === 'login' || !details.session?.accountId,
      signedInAs: deps.users.find((u) => u.sub === details.session?.accountId)?.login,
    };
    if (ctx.method === 'GET') return page(ctx, 200, renderLoginPage(model));

    const form = await readForm(ctx.req);
    if (form.get('decision') !== 'allow') {
      return finish(ctx, deps, {
        error: 'access_denied',
        error_description: 'The user denied the authorization request.',
      });
    }

    let accountId = details.session?.accountId;
    let login: Record<string, unknown> | undefined;
    if (model.askCredentials) {
      const typed = form.get('username') ?? '';
      const user = checkPassword(deps.users, typed, form.get('password') ?? '');
      if (!user) {
        const message = 'The login name or password is not correct.';
        return page(ctx, 401, renderLoginPage({ ...model, message, login: typed }));
      }
      accountId = user.sub;
      login = { accountId };
    }
    if (!accountId) return expired(ctx);

    const grant =
      (details.grantId && (await deps.provider.Grant.find(details.grantId))) ||
      new deps.provider.Grant({ accountId, clientId: model.clientId });
    grant.addOIDCScope(model.scopes.join(' '));
    const grantId = await grant.save();
    return finish(ctx, deps, { ...(login ? { login } : {}), consent: { grantId }, admin_consent: {} });
  };
}

function requestedScopes(details: OidcInteraction, known: ReadonlySet<string>): string[] {
  const scope = typeof details.params.scope === 'string' ? details.params.scope : '';
  return [...new Set(scope.split(' '))].filter((s) => known.has(s));
}

async function finish(ctx: KoaContext, deps: InteractionDeps, result: Record<string, unknown>): Promise<void> {
  try {
    await deps.provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    // oidc-provider wrote the 303 to the raw response itself.
    ctx.respond = false;
  } catch {
    expired(ctx);
  }
}

function expired(ctx: KoaContext): void {
  page(
    ctx,
    400,
    renderErrorPage(
      'Sign-in expired',
      'This sign-in page is no longer valid. Start the sign-in again from the application.',
    ),
  );
}

function page(ctx: KoaContext, status: number, html: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Security-Policy', LOGIN_PAGE_CSP);
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.body = html;
}
