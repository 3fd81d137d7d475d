import { systemBrowserOpener, type BrowserOpener } from './auth/opener.js';
import { dataDir as defaultDataDir, lockFilePath } from './core/paths.js';
import { createFetch, type FetchLike } from './net/http.js';
import { KeyringSecretStore } from './secrets/keyring-store.js';
import type { SecretStore } from './secrets/secret-store.js';
import { ProfileStore } from './store/profile-store.js';
import { TokenService } from './tokens/token-service.js';

/** Every service the CLI and the desktop shell wire, built from injected OS pieces. */
export interface Services {
  dataDir: string;
  store: ProfileStore;
  secrets: SecretStore;
  fetch: FetchLike;
  tokens: TokenService;
  openBrowser: BrowserOpener;
}

export interface ServiceOverrides {
  env?: NodeJS.ProcessEnv;
  dataDir?: string;
  secrets?: SecretStore;
  fetch?: FetchLike;
  openBrowser?: BrowserOpener;
}

export function createServices(overrides: ServiceOverrides = {}): Services {
  const env = overrides.env ?? process.env;
  const dataDir = overrides.dataDir ?? defaultDataDir(env);
  const store = new ProfileStore(dataDir);
  const secrets = overrides.secrets ?? new KeyringSecretStore();
  const fetch = overrides.fetch ?? createFetch();
  const tokens = new TokenService({
    store,
    secrets,
    fetch,
    lockPath: (profileId) => lockFilePath(dataDir, `refresh-${profileId}`),
  });
  return { dataDir, store, secrets, fetch, tokens, openBrowser: overrides.openBrowser ?? systemBrowserOpener(env) };
}
