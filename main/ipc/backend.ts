import { BrokerHost } from '../services/app/broker-host.js';
import { BrokeredSts } from '../services/app/brokered-sts.js';
import { systemBrowserOpener, type BrowserOpener } from '../services/auth/opener.js';
import type { LoginItem } from '../services/autostart/login-item.js';
import { ServerClock } from '../services/clock/server-clock.js';
import { createServices, type Services } from '../services/context.js';
import { createFetch } from '../services/net/http.js';
import type { SecretStore } from '../services/secrets/secret-store.js';
import { brokerView, hostedChannels } from './broker-host.js';
import { createDemoLauncher, TrustRouter, type DemoLauncher } from './demo-site.js';
import { createHandlers, type Backend, type HandlerDeps } from './handlers.js';
import { createHub } from './hub-handlers.js';
import { startLiveUpdates } from './watch.js';

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
  /**
   * Run the credential broker in this process, or attach to the one that answers for the data
   * folder (the app does; off by default, so tests and the e2e bridge bind no broker port).
   */
  broker?: { port?: number; watchEveryMs?: number };
  /** "Start at login" (the shell's: Electron's login items, or the XDG autostart entry); default none. */
  loginItem?: LoginItem;
  /** Watch the data folder for changes by other processes (default on; see watch.ts). */
  watch?: boolean | { debounceMs?: number };
  /**
   * The aliyun CLI side of the hub: what starts this install's CLI (External-mode commands run it;
   * default `alicloud-signin` on PATH) and the CLI's config.json (default ~/.aliyun/config.json).
   */
  cli?: { argv?: string[]; configPath?: string };
  /** Opens the console's private page (a file:// URL): default $BROWSER or the system opener, as the CLI does. */
  openConsolePage?: BrowserOpener;
}

export interface DesktopBackend extends Backend {
  services: Services;
  clock: ServerClock;
  demo: DemoLauncher | undefined;
  /** The broker this backend runs or attached to; undefined without the `broker` option. */
  broker: BrokerHost | undefined;
}

/**
 * Wires the services the way the desktop app runs them (createServices, as the CLI does), with one
 * fetch that feeds the services' server clock from every answer and trusts the demo site's CA for
 * the demo's origins only, and the handler table over all of it. The shell and the e2e bridge
 * both call this.
 */
export function createDesktopBackend(options: DesktopBackendOptions): DesktopBackend {
  // The services' own clock learns from every answer, the demo site's included.
  const clock = new ServerClock();
  const trust = new TrustRouter(createFetch({ observe: clock.observe }), (ca) =>
    createFetch({ ca, observe: clock.observe }),
  );
  const base = createServices({
    fetch: trust.fetch,
    clock,
    openBrowser: options.openBrowser,
    ...(options.env ? { env: options.env } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  // One StsService for the window and the broker (one cache); while another process is the
  // broker, it asks that one, so the refresh tokens keep one owner.
  const sts: BrokeredSts = new BrokeredSts(
    { tokens: base.tokens, profiles: base.store, fetch: base.fetch, clock: base.clock },
    async (id) => host?.credentials(id),
  );
  const services = { ...base, sts };
  const host: BrokerHost | undefined = options.broker
    ? new BrokerHost({
        dataDir: services.dataDir,
        store: services.store,
        secrets: services.secrets,
        sts,
        ...(options.env ? { env: options.env } : {}),
        ...(options.broker.port !== undefined ? { port: options.broker.port } : {}),
        ...(options.broker.watchEveryMs !== undefined ? { watchEveryMs: options.broker.watchEveryMs } : {}),
        // Called from start() on, once the handler table (and its events) exist.
        onChange: (status) => backend.events.emit('broker-changed', brokerView(status)),
      })
    : undefined;
  const demo =
    options.demo === false
      ? undefined
      : createDemoLauncher({ trust, ...(options.demo?.bucketCount ? { bucketCount: options.demo.bucketCount } : {}) });
  const hub = createHub({
    services,
    sts,
    ...(options.env ? { env: options.env } : {}),
    ...(options.cli?.argv ? { cliArgv: options.cli.argv } : {}),
    ...(options.cli?.configPath ? { cliConfigPath: options.cli.configPath } : {}),
    openPage: options.openConsolePage ?? systemBrowserOpener(options.env),
    ...(options.copyText ? { copyText: options.copyText } : {}),
    snapshot: () => backend.snapshot(),
    onProfilesChanged: () =>
      void backend.snapshot().then(
        (snapshot) => backend.events.emit('profiles-changed', snapshot),
        () => undefined,
      ),
  });
  const backend: Backend = createHandlers({
    services,
    sts,
    hosted: hostedChannels(host, options.loginItem),
    hub: hub.channels,
    clock: services.clock,
    ...(demo ? { demo } : {}),
    ...(options.copyText ? { copyText: options.copyText } : {}),
    ...(options.info ? { info: options.info } : {}),
    ...(options.signInTimeoutMs !== undefined ? { signInTimeoutMs: options.signInTimeoutMs } : {}),
  });
  // Failures become the 'failed' state (and are tried again), never a rejection.
  void host?.start();
  // The CLI's changes reach the window within a second; a broker that starts or ends is looked at at once.
  const stopWatching =
    options.watch === false
      ? undefined
      : startLiveUpdates({
          dataDir: services.dataDir,
          store: services.store,
          events: backend.events,
          clockOffsetMs: () => services.clock.offsetMs(),
          onBroker: () => void host?.start(),
          ...(typeof options.watch === 'object' && options.watch.debounceMs !== undefined
            ? { debounceMs: options.watch.debounceMs }
            : {}),
        });
  return {
    ...backend,
    services,
    clock: services.clock,
    demo,
    broker: host,
    async close() {
      // The window's work first (sign-ins, listings), then the broker: socket and endpoint gone.
      stopWatching?.();
      hub.close();
      await backend.close();
      await host?.close();
    },
  };
}
