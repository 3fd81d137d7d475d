import { Agent as HttpsAgent } from 'node:https';
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI_OUTFILE } from '../../scripts/build-cli.mjs';
import { customProfileArgs, HAS_KEYRING } from '../helpers/signin-fixture.js';
import { expectFailure, issuedSecrets, startStsFixture, type StsFixture } from '../helpers/sts-fixture.js';

// `alicloud-signin credentials` end to end: the built CLI, the real keyring, the demo site's
// /v1/exchange, and Alibaba's own consumers of its output (ali-oss, @alicloud/credentials).

const require = createRequire(import.meta.url);

interface AliOssPage {
  buckets: Array<{ name: string }> | null;
  isTruncated: boolean;
  nextMarker: string | null;
}
interface AliOssClient {
  listBuckets(query: Record<string, unknown>): Promise<AliOssPage>;
}
type AliOssCtor = new (options: Record<string, unknown>) => AliOssClient;
interface ExternalProvider {
  getCredentials(): Promise<{ accessKeyId: string; accessKeySecret: string; securityToken: string }>;
}
interface ExternalProviderClass {
  builder(): { withProcessCommand(command: string): { build(): ExternalProvider } };
}

const COUNT = 2500;
const EXPIRATION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let fx: StsFixture;
beforeAll(async () => {
  if (HAS_KEYRING) fx = await startStsFixture(COUNT);
});
afterAll(async () => fx?.close());
afterEach(() => fx?.provider.resetFaults());

/** Every bucket ali-oss (Signature V4) lists with these credentials, page by page. */
async function aliOssList(creds: {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
}): Promise<string[]> {
  const OSS = require('ali-oss') as AliOssCtor;
  const client = new OSS({
    accessKeyId: creds.accessKeyId,
    accessKeySecret: creds.accessKeySecret,
    stsToken: creds.securityToken,
    region: 'oss-cn-hangzhou',
    endpoint: fx.oss.url,
    authorizationV4: true,
    httpsAgent: new HttpsAgent({ ca: fx.provider.ca }),
    // Only to keep ali-oss from warning that it has no way to refresh; never called here.
    refreshSTSToken: async () => ({ ...creds, stsToken: creds.securityToken }),
    refreshSTSTokenInterval: 3_600_000,
  });
  const names: string[] = [];
  let marker: string | null = null;
  for (;;) {
    const page: AliOssPage = await client.listBuckets(marker ? { 'max-keys': 1000, marker } : { 'max-keys': 1000 });
    names.push(...(page.buckets ?? []).map((b) => b.name));
    if (!page.isTruncated) return names;
    marker = page.nextMarker;
  }
}

describe.skipIf(!HAS_KEYRING)('alicloud-signin credentials', () => {
  it('prints exactly one External-mode JSON object, which ali-oss accepts for ListBuckets', async () => {
    const result = await fx.cli(['credentials', 'demo']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    const out = JSON.parse(result.stdout) as Record<string, string>;
    expect(Object.keys(out)).toEqual(['mode', 'access_key_id', 'access_key_secret', 'sts_token', 'expiration']);
    expect(out.mode).toBe('StsToken');
    expect(out.expiration).toMatch(EXPIRATION);
    const issued = fx.sts.lookup(out.access_key_id!);
    expect(issued?.accessKeySecret).toBe(out.access_key_secret);
    expect(issued?.securityToken).toBe(out.sts_token);
    expect(Date.parse(out.expiration!)).toBe(issued?.expiration.getTime());

    const names = await aliOssList({
      accessKeyId: out.access_key_id!,
      accessKeySecret: out.access_key_secret!,
      securityToken: out.sts_token!,
    });
    expect(names).toHaveLength(COUNT);
  });

  it("works as a process_command for Alibaba's credentials SDK (External mode)", async () => {
    const { default: External } = require('@alicloud/credentials/dist/src/providers/external.js') as {
      default: ExternalProviderClass;
    };
    const saved = { home: process.env.ALICLOUD_SIGNIN_HOME, ca: process.env.NODE_EXTRA_CA_CERTS };
    // The SDK runs the command with its own process's environment.
    process.env.ALICLOUD_SIGNIN_HOME = fx.dataDir;
    process.env.NODE_EXTRA_CA_CERTS = fx.caFile;
    try {
      const provider = External.builder()
        .withProcessCommand(`"${process.execPath}" "${CLI_OUTFILE}" credentials demo`)
        .build();
      const creds = await provider.getCredentials();
      expect(fx.sts.lookup(creds.accessKeyId)?.securityToken).toBe(creds.securityToken);
      expect(await aliOssList(creds)).toHaveLength(COUNT);
    } finally {
      restore('ALICLOUD_SIGNIN_HOME', saved.home);
      restore('NODE_EXTRA_CA_CERTS', saved.ca);
    }
  });

  it('--format env prints three export lines', async () => {
    const result = await fx.cli(['credentials', '--format', 'env']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const values = Object.fromEntries(
      lines.map((line) => {
        const m = /^export (ALIBABA_CLOUD_[A-Z_]+)=([A-Za-z0-9._+/=:-]+)$/.exec(line);
        expect(m, line.replace(/=.*/, '=…')).not.toBeNull();
        return [m![1], m![2]];
      }),
    );
    expect(Object.keys(values)).toEqual([
      'ALIBABA_CLOUD_ACCESS_KEY_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      'ALIBABA_CLOUD_SECURITY_TOKEN',
    ]);
    const issued = fx.sts.lookup(values.ALIBABA_CLOUD_ACCESS_KEY_ID!);
    expect(issued?.accessKeySecret).toBe(values.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
    expect(issued?.securityToken).toBe(values.ALIBABA_CLOUD_SECURITY_TOKEN);
  });

  it('--format json prints the documented shape', async () => {
    const result = await fx.cli(['credentials', 'demo', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, string>;
    expect(Object.keys(out)).toEqual(['profile', 'accessKeyId', 'accessKeySecret', 'securityToken', 'expiration']);
    expect(out.profile).toBe('demo');
    expect(out.expiration).toMatch(EXPIRATION);
    expect(fx.sts.lookup(out.accessKeyId!)?.securityToken).toBe(out.securityToken);
  });

  it('a profile whose application lacks the STS scope: EXCHANGE_NOT_ALLOWED in words, nothing on stdout', async () => {
    const added = await fx.cli(customProfileArgs(fx.provider, 'narrow', ['--scopes', 'openid aliuid profile']));
    expect(added.code, added.stderr).toBe(0);
    await fx.login('narrow');
    const result = await fx.cli(['credentials', 'narrow']);
    expect(result.code).toBe(1);
    const words = expectFailure(result, 'EXCHANGE_NOT_ALLOWED');
    expect(words).toContain('/internal/ram/usersts');
    expect(words).toContain('official CLI application');
  });

  it('a profile that is not signed in: NOT_SIGNED_IN, exit 4, nothing on stdout', async () => {
    const added = await fx.cli(customProfileArgs(fx.provider, 'idle'));
    expect(added.code, added.stderr).toBe(0);
    const result = await fx.cli(['credentials', 'idle']);
    expect(result.code).toBe(4);
    expect(expectFailure(result, 'NOT_SIGNED_IN')).toContain('alicloud-signin login idle');
  });

  it('a site failing with 500: SERVER_ERROR, nothing on stdout, no secret on stderr', async () => {
    fx.provider.faults.exchangeStatus = 500;
    const result = await fx.cli(['credentials', 'demo']);
    expect(result.code).toBe(6);
    expectFailure(result, 'SERVER_ERROR', issuedSecrets(fx.sts));
  });

  it('an unknown --format is a usage error', async () => {
    const result = await fx.cli(['credentials', '--format', 'yaml']);
    expect(result.code).toBe(2);
    expect(expectFailure(result, 'INVALID_INPUT')).toContain('external, env or json');
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
