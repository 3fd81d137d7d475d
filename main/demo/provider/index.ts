import { createServer, type Server } from 'node:https';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { StsRegistry } from '../sts-registry.js';
import { createDemoTls } from '../tls.js';
import { authorizationShape, keysShape, PATHS, RefreshLedger, revocationShape, tokenShape } from './alibaba-shape.js';
import { buildConfiguration, CLIENT_SCOPES, createSigningKey } from './config.js';
import { EXCHANGE_PATH, exchangeRoute } from './exchange.js';
import { federationRoute } from './federation.js';
import { interactionRoutes } from './interaction.js';
import { loadOidcProvider } from './oidc-types.js';
import { DemoStore } from './store.js';
import { defaultFaults, emptyStats, type DemoProvider, type DemoProviderOptions } from './types.js';
import { defaultUsers } from './users.js';
import { DEMO_CLIENT_ID } from '../../services/app/demo-profile.js';

export type { DemoProvider, DemoProviderOptions } from './types.js';
export { USER_STS_SCOPE } from './exchange.js';

/**
 * Starts the demo site: an Alibaba-shaped OpenID provider over HTTPS on 127.0.0.1, with its own
 * CA, a public native client, a login page, `/v1/exchange` for STS credentials, and switches to
 * make it fail on purpose.
 */
export async function startDemoProvider(options: DemoProviderOptions = {}): Promise<DemoProvider> {
  const tls = options.tls ?? (await createDemoTls());
  const host = options.host ?? '127.0.0.1';
  const server = createServer({ key: tls.key, cert: tls.cert });
  await listen(server, options.port ?? 0, host);
  try {
    return await mount(server, host, tls.ca, options);
  } catch (error) {
    await closeServer(server);
    throw error;
  }
}

async function mount(server: Server, host: string, ca: string, options: DemoProviderOptions): Promise<DemoProvider> {
  const { port } = server.address() as AddressInfo;
  const origin = `https://${host}:${port}`;
  const issuer = options.issuer ?? origin;
  const users = options.users ?? defaultUsers();
  const clientId = options.clientId ?? DEMO_CLIENT_ID;
  const sts = options.sts ?? new StsRegistry();
  const faults = defaultFaults();
  const stats = emptyStats();
  const signingKey = createSigningKey();
  const ledger = new RefreshLedger(faults);
  const module = await loadOidcProvider();

  const provider = new module.Provider(
    issuer,
    buildConfiguration({
      module,
      users,
      clientId,
      accessTokenTtl: options.accessTokenTtl ?? 3600,
      refreshTokenTtl: options.refreshTokenTtl ?? 30 * 24 * 60 * 60,
      signingKey,
      store: new DemoStore(),
      ledger,
    }),
  );
  ledger.attach(module, provider);
  provider.on('server_error', (_ctx: unknown, error: unknown) => {
    console.error(`demo provider: internal error: ${error instanceof Error ? error.message : String(error)}`);
  });

  const shape = {
    issuerOrigin: origin,
    conformant: options.conformant ?? false,
    faults,
    stats,
    sts,
    defaultScope: CLIENT_SCOPES.join(' '),
    signingKey: signingKey.privateKey,
    hs256Secret: randomBytes(32),
  };
  // Each runs before oidc-provider's router, in this order.
  provider.use(authorizationShape(shape));
  provider.use(tokenShape(shape, ledger));
  provider.use(revocationShape(shape));
  provider.use(keysShape(shape));
  provider.use(exchangeRoute({ provider, users, sts, stsTtl: options.stsTtl ?? 3600, faults, stats }));
  provider.use(federationRoute({ sts }));
  provider.use(interactionRoutes({ provider, users, scopes: new Set([...CLIENT_SCOPES, 'offline_access']) }));
  server.on('request', provider.callback());

  return {
    issuer,
    origin,
    endpoints: {
      issuer,
      authorization: `${origin}${PATHS.authorization}`,
      token: `${origin}${PATHS.token}`,
      revocation: `${origin}${PATHS.revocation}`,
      exchange: `${origin}${EXCHANGE_PATH}`,
      jwks: `${origin}${PATHS.jwks}`,
    },
    clientId,
    ca,
    faults,
    stats,
    sts,
    users,
    resetFaults() {
      Object.assign(faults, defaultFaults());
    },
    close: () => closeServer(server),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
