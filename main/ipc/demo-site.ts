import type { DemoProvider } from '../demo/provider/index.js';
import type { OssServer } from '../demo/oss-server/index.js';
import type { DemoServers } from '../demo/site.js';
import type { FetchLike } from '../services/net/http.js';
import { DEMO_CLIENT_ID, type DemoSiteAddress } from '../services/app/demo-profile.js';

/** The demo site while it runs: the provider, its STS and the OSS server, on loopback, sharing one CA. */
export interface DemoSite extends DemoSiteAddress {
  clientId: string;
  /** PEM of the CA the demo servers' certificate chains to. */
  ca: string;
  /** The demo STS (AssumeRole): role profiles made from a demo profile default to it. */
  stsEndpoint: string;
  provider: DemoProvider;
  oss: OssServer;
  servers: DemoServers;
}

export interface DemoLauncher {
  /** Starts the demo site on first use; later calls get the same one. */
  ensure(): Promise<DemoSite>;
  running(): DemoSite | undefined;
  close(): Promise<void>;
}

/**
 * A fetch that trusts an extra CA for a few origins only (the demo site's), and is the plain
 * fetch everywhere else: the demo's throw-away CA never vouches for any other host.
 */
export class TrustRouter {
  readonly #byOrigin = new Map<string, FetchLike>();

  constructor(
    private readonly base: FetchLike,
    private readonly withCa: (ca: string) => FetchLike,
  ) {}

  trust(origins: readonly string[], ca: string): void {
    const fetch = this.withCa(ca);
    for (const origin of origins) this.#byOrigin.set(origin, fetch);
  }

  readonly fetch: FetchLike = (input, init) => {
    const origin = new URL(input).origin;
    return (this.#byOrigin.get(origin) ?? this.base)(input, init);
  };
}

export interface DemoLauncherOptions {
  trust: TrustRouter;
  /** Buckets the demo OSS server holds; default 300. */
  bucketCount?: number;
}

/** Starts the demo site only when asked for (the modules load then too). */
export function createDemoLauncher(options: DemoLauncherOptions): DemoLauncher {
  let starting: Promise<DemoSite> | undefined;
  let site: DemoSite | undefined;

  async function start(): Promise<DemoSite> {
    // The same servers as `alicloud-signin demo` (main/demo/site.ts), loaded only now.
    const { startDemoServers } = await import('../demo/site.js');
    const servers = await startDemoServers({ bucketCount: options.bucketCount ?? 300, clientId: DEMO_CLIENT_ID });
    const { provider, oss, tls } = servers;
    options.trust.trust(servers.origins, tls.ca);
    site = {
      endpoints: provider.endpoints,
      ossEndpoint: oss.url,
      stsEndpoint: servers.sts.url,
      clientId: provider.clientId,
      ca: tls.ca,
      provider,
      oss,
      servers,
    };
    return site;
  }

  return {
    ensure() {
      starting ??= start().catch((error: unknown) => {
        starting = undefined;
        throw error;
      });
      return starting;
    },
    running: () => site,
    async close() {
      const current = site;
      site = undefined;
      starting = undefined;
      if (current) await current.servers.close();
    },
  };
}
