import type { IncomingMessage, ServerResponse } from 'node:http';

/*
 * oidc-provider ships no type declarations (and @types/oidc-provider is not installed): these are
 * the few shapes of it, and of the Koa context it hands to middleware, that the demo site uses.
 */

interface OidcParams {
  [name: string]: unknown;
  grant_type?: string;
  refresh_token?: string;
  scope?: string;
  client_id?: string;
}

export interface OidcToken {
  readonly kind: string;
  readonly jti: string;
  accountId: string;
  clientId: string;
  grantId: string;
  scope?: string;
  readonly scopes: Set<string>;
  readonly isExpired: boolean;
}

interface OidcRequestContext {
  params?: OidcParams;
  route?: string;
  client?: { clientId: string };
  entities: { AccessToken?: OidcToken; RefreshToken?: OidcToken; [name: string]: unknown };
}

/** The part of a Koa context the demo's middleware touches. */
export interface KoaContext {
  method: string;
  path: string;
  querystring: string;
  status: number;
  body: unknown;
  type: string;
  respond?: boolean;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly response: { get(field: string): string };
  state: Record<string, unknown>;
  get(field: string): string;
  set(field: string, value: string): void;
  oidc?: OidcRequestContext;
}

type Next = () => Promise<void>;
export type Middleware = (ctx: KoaContext, next: Next) => Promise<void>;

interface OidcGrant {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
  destroy(): Promise<void>;
}

export interface OidcInteraction {
  uid: string;
  prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
  params: OidcParams;
  session?: { accountId?: string };
  grantId?: string;
}

interface TokenModel {
  find(value: string, options?: { ignoreExpiration?: boolean }): Promise<OidcToken | undefined>;
  revokeByGrantId(grantId: string): Promise<void>;
}

export interface OidcProvider {
  readonly issuer: string;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  use(middleware: Middleware): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<OidcInteraction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: {
    new (init: { accountId: string; clientId: string }): OidcGrant;
    find(id: string): Promise<OidcGrant | undefined>;
  };
  AccessToken: TokenModel;
  RefreshToken: TokenModel;
  AuthorizationCode: TokenModel;
}

type OidcErrorClass = new (description?: string, detail?: string) => Error;

interface PromptPolicy extends Array<unknown> {
  add(prompt: unknown, index?: number): void;
}

export interface OidcModule {
  Provider: new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
  errors: { InvalidGrant: OidcErrorClass; InvalidRequest: OidcErrorClass };
  interactionPolicy: {
    base(): PromptPolicy;
    Prompt: new (options: { name: string; requestable: boolean }) => unknown;
  };
}

const UNSUPPORTED_RUNTIME = 'oidc-provider WARNING: Unsupported runtime';
let loading: Promise<OidcModule> | undefined;

/**
 * Imports oidc-provider once. On Node 20 it prints "Unsupported runtime" while it loads (it works
 * all the same); that one line is held back, every other warning goes through.
 */
export function loadOidcProvider(): Promise<OidcModule> {
  loading ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes(UNSUPPORTED_RUNTIME)) return;
      warn.apply(console, args);
    };
    try {
      // A computed specifier: the package has no type declarations for TypeScript to resolve.
      const specifier = 'oidc-provider';
      return (await import(specifier)) as OidcModule;
    } finally {
      console.warn = warn;
    }
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
