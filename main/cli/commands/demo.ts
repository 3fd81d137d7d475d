import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CLIENT_ID } from '../../ipc/demo-profile.js';
import { ensurePrivateDir } from '../../services/core/paths.js';
import type { Services } from '../../services/context.js';
import type { CliIO } from '../io.js';
import { optionalName, usage } from './profile.js';

/**
 * `alicloud-signin demo [NAME] [--buckets N]`: the project's Alibaba-shaped sign-in site and OSS
 * server, on loopback, for someone with no Alibaba account or no network. Only ever started by
 * this command (or the app's demo preset); runs until Ctrl+C.
 */
export async function demo(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { buckets: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const name = optionalName(positionals, 'demo [NAME] [--buckets N]') ?? 'demo';
  const count = values.buckets === undefined ? 300 : Number(values.buckets);
  if (!Number.isInteger(count) || count < 0 || count > 100_000)
    throw usage('--buckets takes a whole number from 0 to 100000.');

  const [{ createDemoTls }, { startDemoProvider }, { startOssServer }] = await Promise.all([
    import('../../demo/tls.js'),
    import('../../demo/provider/index.js'),
    import('../../demo/oss-server/index.js'),
  ]);
  const tls = await createDemoTls();
  const provider = await startDemoProvider({ tls, clientId: DEMO_CLIENT_ID });
  const oss = await startOssServer({ sts: provider.sts, tls, seed: { count } }).catch(async (error: unknown) => {
    await provider.close();
    throw error;
  });
  const dir = await ensurePrivateDir(join(services.dataDir, 'demo'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, tls.ca, { mode: 0o600 });

  // The demo's ports change at every start, so the profile follows them.
  const e = provider.endpoints;
  const settings = {
    site: 'custom' as const,
    region: 'cn-hangzhou',
    ossEndpoint: oss.url,
    client: {
      clientId: DEMO_CLIENT_ID,
      redirect: { kind: 'loopback' as const, ports: 0 as const, callbackPath: '/cli/callback' },
    },
    endpoints: {
      issuer: e.issuer,
      authorization: e.authorization,
      token: e.token,
      revocation: e.revocation,
      exchange: e.exchange,
      jwks: e.jwks,
    },
  };
  const existing = await services.store.get(name);
  const profile = existing
    ? await services.store.patch(existing.id, { ...settings, status: 'signed-out' })
    : await services.store.add({ name, ...settings });
  if (existing) await services.secrets.delete(profile.id); // a token from an earlier demo run is void

  const user = provider.users[0];
  io.out(`DEMO: a local, offline stand-in for Alibaba Cloud's sign-in and OSS (not Alibaba Cloud).`);
  io.out(`Profile "${profile.name}" points at it: sign-in ${e.issuer}, OSS ${oss.url} (${count} buckets).`);
  io.out('');
  io.out('In another terminal (the demo site has its own certificate authority):');
  io.out(`  export NODE_EXTRA_CA_CERTS=${caFile}`);
  io.out(
    `  alicloud-signin login ${profile.name}     # user ${user?.login ?? 'alice'}, password ${user?.password ?? 'demo-password'}`,
  );
  io.out(`  alicloud-signin buckets ${profile.name}`);
  io.out('');
  io.err('The demo site runs until you press Ctrl+C.');

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await Promise.all([provider.close(), oss.close()]);
  io.err('Demo site stopped.');
}
