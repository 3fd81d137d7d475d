import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrokerFixture, type BrokerFixture } from '../helpers/broker-fixture.js';
import { HAS_KEYRING } from '../helpers/signin-fixture.js';

// `exec --server` outlives the credentials it started with: the demo site issues STS credentials
// for 60 seconds, and the command (Alibaba's credentials SDK + ali-oss) lists buckets at once and
// again 90 seconds later, when the first keys are refused. Its own file: it takes a minute and a half.

const CHILD = fileURLToPath(new URL('../helpers/exec-child.mjs', import.meta.url));
const WAIT_SECONDS = 90;

interface Report {
  at: number;
  provider?: string;
  accessKeyId?: string;
  list?: { ok: boolean; buckets?: number; code?: string };
  firstKeysNow?: { ok: boolean; code?: string };
}

let fx: BrokerFixture;
beforeAll(async () => {
  if (HAS_KEYRING) fx = await startBrokerFixture({ stsTtl: 60 });
});
afterAll(async () => fx?.close());

describe.skipIf(!HAS_KEYRING)('alicloud-signin exec --server with 60-second credentials', () => {
  it('the command still lists buckets after 90 seconds, with renewed keys', async () => {
    const result = await fx.cli(
      ['exec', 'demo', '--server', '--', process.execPath, CHILD, 'renew', String(WAIT_SECONDS)],
      {
        timeoutMs: 150_000,
        env: {
          HOME: await mkdtemp(join(tmpdir(), 'exec-home-')),
          ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
          EXEC_TEST_OSS: fx.oss.url,
        },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const [first, later, check] = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Report);
    expect(first).toMatchObject({ at: 0, provider: 'default/credential_uri', list: { ok: true, buckets: 3 } });
    expect(later).toMatchObject({
      at: WAIT_SECONDS,
      provider: 'default/credential_uri',
      list: { ok: true, buckets: 3 },
    });
    expect(later!.accessKeyId).not.toBe(first!.accessKeyId);
    const issued = fx.issued.find((sts) => sts.accessKeyId === first!.accessKeyId);
    expect(issued!.expiration.getTime() - Date.now()).toBeLessThan(0);
    // The renewal mattered: the keys the command started with no longer list anything.
    expect(check!.firstKeysNow?.ok).toBe(false);
  }, 180_000);
});
