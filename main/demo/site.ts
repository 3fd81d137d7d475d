/*
 * The whole demo site in one start, for `alicloud-signin demo` and the desktop app's demo launcher:
 * the Alibaba-shaped sign-in site, its STS (AssumeRole) and the OSS server, on 127.0.0.1 behind
 * one throw-away CA and one StsRegistry, so a role chain into the second demo account works in
 * either front-end the same way.
 */
import { startOssServer, type OssServer } from './oss-server/index.js';
import { startDemoProvider, type DemoProvider } from './provider/index.js';
import { DEMO_SECOND_ACCOUNT_ID, secondAccountBuckets, startStsServer, type StsServer } from './sts-server/index.js';
import { createDemoTls, type DemoTls } from './tls.js';

export interface DemoServers {
  tls: DemoTls;
  provider: DemoProvider;
  oss: OssServer;
  /** AssumeRole: a role profile made from a demo profile takes this as its STS endpoint. */
  sts: StsServer;
  /** Origins of the three servers (what a client trusts the demo CA for, and nothing else). */
  origins: string[];
  close(): Promise<void>;
}

export interface DemoServersOptions {
  /** The first account's buckets (the second account always has its own three). */
  bucketCount: number;
  /** The demo site's public client. */
  clientId: string;
}

/** Starts the three servers; when one fails, those already started are closed again. */
export async function startDemoServers(options: DemoServersOptions): Promise<DemoServers> {
  const tls = await createDemoTls();
  const provider = await startDemoProvider({ tls, clientId: options.clientId });
  let oss: OssServer | undefined;
  let sts: StsServer | undefined;
  const close = async () => {
    await Promise.all([provider.close(), oss?.close(), sts?.close()]);
  };
  try {
    // The second demo account's buckets answer its role's credentials; the first's the rest.
    const accounts = [{ id: DEMO_SECOND_ACCOUNT_ID, buckets: secondAccountBuckets() }];
    oss = await startOssServer({ sts: provider.sts, tls, seed: { count: options.bucketCount }, accounts });
    sts = await startStsServer({ sts: provider.sts, tls, users: provider.users });
  } catch (error) {
    await close();
    throw error;
  }
  const origins = [provider.origin, new URL(oss.url).origin, new URL(sts.url).origin];
  return { tls, provider, oss, sts, origins, close };
}
