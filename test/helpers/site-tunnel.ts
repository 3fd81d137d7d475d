import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { startDemoProvider, type DemoProvider, type DemoProviderOptions } from '../../main/demo/provider/index.js';
import { createDemoTls } from '../../main/demo/tls.js';
import { KNOWN_SITES } from '../../main/services/auth/sites.js';
import { createFetch, type FetchLike } from '../../main/services/net/http.js';

/** The hosts of Alibaba's two sites, as the app names them: the tunnel answers for all of them. */
const SITE_HOSTS = [
  'signin.aliyun.com',
  'oauth.aliyun.com',
  'signin.alibabacloud.com',
  'oauth.alibabacloud.com',
] as const;

/** OSS's endpoint for the demo region, which `route()` can send to a demo OSS server. */
export const OSS_HOST = 'oss-cn-hangzhou.aliyuncs.com';

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
  /** The certificate pair (naming every site host and OSS_HOST), for another server behind the tunnel. */
  tls: { key: string; cert: string };
  /** Sends `host`:443 to a server on 127.0.0.1:`port` (for example a demo OSS server as OSS_HOST). */
  route(host: string, port: number): void;
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
  const tls = await createDemoTls({ dnsNames: [...SITE_HOSTS, OSS_HOST] });
  const known = KNOWN_SITES[site];
  const provider = await startDemoProvider({
    issuer: known.endpoints.issuer,
    ...options,
    tls,
    clientId: known.officialClientId,
  });
  const routes = new Map<string, number>(SITE_HOSTS.map((host) => [host, Number(new URL(provider.origin).port)]));
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
    const [host = '', port] = authority.split(':');
    const target = routes.get(host);
    if (target === undefined || port !== '443') {
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
    tls: { key: tls.key, cert: tls.cert },
    route: (host, port) => routes.set(host, port),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await provider.close();
    },
  };
}
