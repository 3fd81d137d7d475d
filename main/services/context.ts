import { systemBrowserOpener, type BrowserOpener } from './auth/opener.js';
import { ClockFile } from './clock/clock-file.js';
import { ServerClock } from './clock/server-clock.js';
import { dataDir as defaultDataDir, lockFilePath } from './core/paths.js';
import { createFetch, type FetchLike } from './net/http.js';
import { KeyringSecretStore } from './secrets/keyring-store.js';
import type { SecretStore } from './secrets/secret-store.js';
import { ProfileStore } from './store/profile-store.js';
import { StsService } from './sts/sts-service.js';
import { TokenService } from './tokens/token-service.js';

/** Every service the CLI and the desktop shell wire, built from injected OS pieces. */
export interface Services {
  dataDir: string;
  store: ProfileStore;
  secrets: SecretStore;
  fetch: FetchLike;
  tokens: TokenService;
  sts: StsService;
  /** Server time, learned from the Date header of every answer (site and OSS). */
  clock: ServerClock;
  /** The last clock measurements (clock.json), for an offline whoami. */
  clockFile: ClockFile;
  openBrowser: BrowserOpener;
}

export interface ServiceOverrides {
  env?: NodeJS.ProcessEnv;
  dataDir?: string;
  secrets?: SecretStore;
  fetch?: FetchLike;
  /** The server clock; give one when `fetch` is made outside and should feed it (the desktop's). */
  clock?: ServerClock;
  openBrowser?: BrowserOpener;
}

export function createServices(overrides: ServiceOverrides = {}): Services {
  const env = overrides.env ?? process.env;
  const dataDir = overrides.dataDir ?? defaultDataDir(env);
  const store = new ProfileStore(dataDir);
  const secrets = overrides.secrets ?? new KeyringSecretStore();
  const clock = overrides.clock ?? new ServerClock();
  const clockFile = new ClockFile(dataDir);
  clockFile.follow(clock);
  const fetch = overrides.fetch ?? createFetch({ observe: clock.observe });
  const tokens = new TokenService({
    store,
    secrets,
    fetch,
    lockPath: (profileId) => lockFilePath(dataDir, `refresh-${profileId}`),
  });
  const sts = new StsService({ tokens, profiles: store, fetch, clock });
  return {
    dataDir,
    store,
    secrets,
    fetch,
    tokens,
    sts,
    clock,
    clockFile,
    openBrowser: overrides.openBrowser ?? systemBrowserOpener(env),
  };
}
