import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { startDemoProvider, type DemoProvider, type DemoProviderOptions } from '../../main/demo/provider/index.js';
import { createDemoTls } from '../../main/demo/tls.js';
import { KNOWN_SITES } from '../../main/services/auth/sites.js';
import { createFetch, type FetchLike } from '../../main/services/net/http.js';

/** The hosts of Alibaba's two sites, as the app names them: the tunnel answers for all of them. */
export const SITE_HOSTS = [
  'signin.aliyun.com',
  'oauth.aliyun.com',
  'signin.alibabacloud.com',
  'oauth.alibabacloud.com',
] as const;

export interface SiteTunnel {
  /** The demo provider playing the site, with the site's official CLI client id and issuer. */
  provider: DemoProvider;
  /** `http://127.0.0.1:PORT`: set it as HTTPS_PROXY (and DEMO_BROWSER_PROXY for the test browser). */
  proxyUrl: string;
  /** Trust it (NODE_EXTRA_CA_CERTS or `ca`): the provider's certificate names every site host. */
  ca: string;
  /** A fetch as the app builds it, through the tunnel. */
  fetch: FetchLike;
  /** `host:port` of every CONNECT the tunnel received, in order. */
  connects: string[];
  close(): Promise<void>;
}

/**
 * Plays Alibaba's real cn or intl site on this machine, without touching the app: a CONNECT proxy
 * (the way a corporate proxy is configured, through HTTPS_PROXY) sends the site hosts on port 443
 * to the demo provider, whose certificate names them. The app under test uses its built-in site
 * table (real URLs, the official client id), so whatever it sends is what it would send to Alibaba.
 */
export async function startSiteTunnel(
  site: 'cn' | 'intl',
  options: Omit<DemoProviderOptions, 'tls' | 'clientId'> = {},
): Promise<SiteTunnel> {
  const tls = await createDemoTls({ dnsNames: SITE_HOSTS });
  const known = KNOWN_SITES[site];
  const provider = await startDemoProvider({
    issuer: known.endpoints.issuer,
    ...options,
    tls,
    clientId: known.officialClientId,
  });
  const target = Number(new URL(provider.origin).port);
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const proxy = createServer((_req, res) => {
    res.writeHead(405).end('CONNECT only');
  });
  proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const authority = req.url ?? '';
    connects.push(authority);
    const [host, port] = authority.split(':');
    if (!SITE_HOSTS.includes(host as (typeof SITE_HOSTS)[number]) || port !== '443') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(target, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return {
    provider,
    proxyUrl,
    ca: tls.ca,
    fetch: createFetch({ ca: tls.ca, proxy: { httpsProxy: proxyUrl, httpProxy: '', noProxy: '127.0.0.1,localhost' } }),
    connects,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await provider.close();
    },
  };
}
