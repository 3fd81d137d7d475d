import type { BrowserOpener } from '../services/auth/opener.js';
import type { ServerClock } from '../services/clock/server-clock.js';
import { createServices, type Services } from '../services/context.js';
import { createFetch } from '../services/net/http.js';
import type { SecretStore } from '../services/secrets/secret-store.js';
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
 * Wires the services the way the desktop app runs them (createServices, as the CLI does), with one
 * fetch that feeds the services' server clock from every answer and trusts the demo site's CA for
 * the demo's origins only, and the handler table over all of it. The shell and the e2e bridge
 * both call this.
 */
export function createDesktopBackend(options: DesktopBackendOptions): DesktopBackend {
  // The services' own clock learns from every answer, the demo site's included.
  const late: { clock?: ServerClock } = {};
  const observe = (response: Response, url: URL) => late.clock?.observe(response, url);
  const trust = new TrustRouter(createFetch({ observe }), (ca) => createFetch({ ca, observe }));
  const services = createServices({
    fetch: trust.fetch,
    openBrowser: options.openBrowser,
    ...(options.env ? { env: options.env } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  late.clock = services.clock;
  const demo = options.demo === false ? undefined : createDemoLauncher({ trust, ...(options.demo?.bucketCount ? { bucketCount: options.demo.bucketCount } : {}) });
  const backend = createHandlers({
    services,
    sts: services.sts,
    clock: services.clock,
    ...(demo ? { demo } : {}),
    ...(options.copyText ? { copyText: options.copyText } : {}),
    ...(options.info ? { info: options.info } : {}),
    ...(options.signInTimeoutMs !== undefined ? { signInTimeoutMs: options.signInTimeoutMs } : {}),
  });
  return { ...backend, services, clock: services.clock, demo };
}
