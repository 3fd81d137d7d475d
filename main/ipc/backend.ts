import type { BrowserOpener } from '../services/auth/opener.js';
import { ServerClock } from '../services/clock/server-clock.js';
import { createServices, type Services } from '../services/context.js';
import { createFetch } from '../services/net/http.js';
import type { SecretStore } from '../services/secrets/secret-store.js';
import { StsService } from '../services/sts/sts-service.js';
import { createDemoLauncher, TrustRouter, type DemoLauncher } from './demo-site.js';
import { createHandlers, type Backend, type HandlerDeps } from './handlers.js';

export interface DesktopBackendOptions {
  /** Opens the system browser (the shell: shell.openExternal; the e2e bridge: a second page). */
  openBrowser: BrowserOpener;
  env?: NodeJS.ProcessEnv;
  dataDir?: string;
  /** Default: the OS keychain. */
  secrets?: SecretStore;
  copyText?: HandlerDeps['copyText'];
  info?: HandlerDeps['info'];
  signInTimeoutMs?: number;
  /** false: no demo site; else how many buckets its OSS server holds (default 300). */
  demo?: false | { bucketCount?: number };
}

export interface DesktopBackend extends Backend {
  services: Services;
  clock: ServerClock;
  demo: DemoLauncher | undefined;
}

/**
 * Wires the services the way the desktop app runs them: one fetch that learns server time from
 * every answer and trusts the demo site's CA for the demo's origins only, STS on top of the
 * token service, and the handler table over all of it. The shell and the e2e bridge both call this.
 */
export function createDesktopBackend(options: DesktopBackendOptions): DesktopBackend {
  const clock = new ServerClock();
  const trust = new TrustRouter(createFetch({ observe: clock.observe }), (ca) => createFetch({ ca, observe: clock.observe }));
  const services = createServices({
    fetch: trust.fetch,
    openBrowser: options.openBrowser,
    ...(options.env ? { env: options.env } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  const sts = new StsService({ tokens: services.tokens, profiles: services.store, fetch: services.fetch, clock });
  const demo = options.demo === false ? undefined : createDemoLauncher({ trust, ...(options.demo?.bucketCount ? { bucketCount: options.demo.bucketCount } : {}) });
  const backend = createHandlers({
    services,
    sts,
    clock,
    ...(demo ? { demo } : {}),
    ...(options.copyText ? { copyText: options.copyText } : {}),
    ...(options.info ? { info: options.info } : {}),
    ...(options.signInTimeoutMs !== undefined ? { signInTimeoutMs: options.signInTimeoutMs } : {}),
  });
  return { ...backend, services, clock, demo };
}
