import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOssServer, type OssServer } from '../../main/demo/oss-server/index.js';
import { DEMO_ACCOUNT_ID, defaultUsers } from '../../main/demo/provider/users.js';
import {
  DEMO_SECOND_ACCOUNT_ID,
  secondAccountBuckets,
  startStsServer,
  type StsServer,
} from '../../main/demo/sts-server/index.js';
import { StsRegistry, type IssuedSts } from '../../main/demo/sts-registry.js';
import { createDemoTls } from '../../main/demo/tls.js';
import { AppError } from '../../main/services/core/errors.js';
import type { FetchLike } from '../../main/services/net/http.js';
import { listBuckets } from '../../main/services/oss/list-buckets.js';
import type { StsCredentials } from '../../main/services/oss/types.js';
import { assumeRole, type AssumeRoleOutcome } from '../../main/services/roles/assume-role.js';
import { rpcTimestamp, signRpc } from '../../main/services/roles/rpc-signature.js';
import { ramRoleProvider } from '../helpers/alicloud-credentials.js';

const ROLE_A = `acs:ram::${DEMO_ACCOUNT_ID}:role/demo-reader`;
const ROLE_B = `acs:ram::${DEMO_SECOND_ACCOUNT_ID}:role/cross-account-admin`;
const AUDITOR = `acs:ram::${DEMO_SECOND_ACCOUNT_ID}:role/partner-auditor`;
const [alice, root] = defaultUsers();

let sts: StsRegistry;
let server: StsServer;
let oss: OssServer;
let agent: Agent;
let fetch: FetchLike;
let serverAhead = 0;

beforeAll(async () => {
  const tls = await createDemoTls();
  sts = new StsRegistry();
  server = await startStsServer({ sts, tls, now: () => Date.now() + serverAhead });
  oss = await startOssServer({
    sts,
    tls,
    seed: { count: 20, seed: 3 },
    accounts: [{ id: DEMO_SECOND_ACCOUNT_ID, buckets: secondAccountBuckets() }],
  });
  agent = new Agent({ connect: { ca: tls.ca } });
  fetch = (input, init) =>
    undiciFetch(input, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
});
afterAll(async () => {
  await Promise.all([server.close(), oss.close()]);
  await agent.close();
});

function asCredentials(issued: IssuedSts): StsCredentials {
  return {
    accessKeyId: issued.accessKeyId,
    accessKeySecret: issued.accessKeySecret,
    securityToken: issued.securityToken,
    expiration: issued.expiration,
  };
}

function assume(
  source: StsCredentials,
  roleArn: string,
  more: { durationSeconds?: number; externalId?: string; now?: Date } = {},
): Promise<AssumeRoleOutcome> {
  return assumeRole(
    fetch,
    {
      endpoint: server.url,
      roleArn,
      sessionName: 'alicloud-signin-test',
      durationSeconds: more.durationSeconds ?? 3600,
      ...(more.externalId ? { externalId: more.externalId } : {}),
      source,
      now: more.now ?? new Date(),
    },
    { profileName: 'roleX', sourceName: 'src' },
  );
}

async function issued(outcome: Promise<AssumeRoleOutcome>): Promise<StsCredentials> {
  const result = await outcome;
  if (result.kind !== 'issued') throw new Error(`not issued: ${result.kind} ${result.code}`);
  return result.credentials;
}

async function refused(outcome: Promise<AssumeRoleOutcome>): Promise<AppError> {
  const error = await outcome.then(
    (value) => new Error(`expected a refusal, got ${value.kind}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const userCreds = () => asCredentials(sts.issue(alice!.sub, DEMO_ACCOUNT_ID, 3600));

describe('demo STS AssumeRole', () => {
  it('chains user → role A (account 1) → role B (account 2), and OSS lists account 2’s buckets for role B', async () => {
    const a = await issued(assume(userCreds(), ROLE_A));
    expect(a.accessKeyId).toMatch(/^STS\./);
    expect(sts.lookup(a.accessKeyId)?.session?.roleName).toBe('demo-reader');
    expect(sts.lookup(a.accessKeyId)?.accountId).toBe(DEMO_ACCOUNT_ID);
    const b = await issued(assume(a, ROLE_B, { durationSeconds: 3600 }));
    expect(sts.lookup(b.accessKeyId)?.accountId).toBe(DEMO_SECOND_ACCOUNT_ID);
    expect(b.expiration.getTime() - Date.now()).toBeGreaterThan(3500_000);

    const list = (c: StsCredentials) =>
      listBuckets({ fetch, endpoint: oss.url, region: 'cn-hangzhou', credentials: async () => c });
    const second = await list(b);
    expect(second.owner.id).toBe(DEMO_SECOND_ACCOUNT_ID);
    expect(second.buckets.map((x) => x.name)).toEqual(
      secondAccountBuckets()
        .map((x) => x.name)
        .sort(),
    );
    const first = await list(a);
    expect(first.owner.id).toBe(DEMO_ACCOUNT_ID);
    expect(first.buckets).toHaveLength(20);
  });

  it('refuses what STS refuses, each with its own code and words', async () => {
    const user = userCreds();
    const unknown = await refused(assume(user, `acs:ram::${DEMO_ACCOUNT_ID}:role/no-such-role`));
    expect(unknown.code).toBe('ROLE_NOT_ASSUMABLE');
    expect(unknown.message).toContain('EntityNotExist.Role');
    // Role B trusts role A only, not the user of account 1.
    const untrusted = await refused(assume(user, ROLE_B));
    expect(untrusted.code).toBe('ROLE_NOT_ASSUMABLE');
    expect(untrusted.message).toContain('NoPermission');
    // An account itself (root) may not assume roles.
    const rootCreds = asCredentials(sts.issue(root!.sub, DEMO_ACCOUNT_ID, 3600));
    expect((await refused(assume(rootCreds, ROLE_A))).code).toBe('ROLE_NOT_ASSUMABLE');
    // Above role A's 2 h maximum; and a chained session above 1 h although role B allows 12 h.
    const long = await refused(assume(user, ROLE_A, { durationSeconds: 10_800 }));
    expect(long.code).toBe('ROLE_DURATION_TOO_LONG');
    const a = await issued(assume(user, ROLE_A, { durationSeconds: 7200 }));
    expect((await refused(assume(a, ROLE_B, { durationSeconds: 3601 }))).code).toBe('ROLE_DURATION_TOO_LONG');
    // The external ID: missing is refused, the right one accepted.
    expect((await refused(assume(user, AUDITOR))).code).toBe('ROLE_NOT_ASSUMABLE');
    await issued(assume(user, AUDITOR, { externalId: 'demo-partner-7' }));
  });

  it('checks the signature against the caller’s STS secret and never echoes it, or the token, in words', async () => {
    const user = userCreds();
    const forged = { ...user, accessKeySecret: 'not-the-secret' };
    const error = await refused(assume(forged, ROLE_A));
    expect(error.code).toBe('EXCHANGE_FAILED');
    expect(error.message).toContain('SignatureDoesNotMatch');
    for (const secret of [user.accessKeySecret, user.securityToken, forged.accessKeySecret])
      expect(error.message).not.toContain(secret);
  });

  it('reports source credentials STS does not take, and a clock STS calls wrong, as outcomes to retry', async () => {
    const user = userCreds();
    const expired = asCredentials(sts.issue(alice!.sub, DEMO_ACCOUNT_ID, 1, Date.now() - 10_000));
    expect((await assume(expired, ROLE_A)).kind).toBe('source-rejected');
    const wrongToken = { ...user, securityToken: 'CAIS-someone-elses' };
    expect((await assume(wrongToken, ROLE_A)).kind).toBe('source-rejected');
    const gone = { ...user, accessKeyId: 'STS.unknown' };
    expect((await assume(gone, ROLE_A)).kind).toBe('source-rejected');
    expect((await assume(user, ROLE_A, { now: new Date(Date.now() - 20 * 60_000) })).kind).toBe('clock-skew');
  });

  it('refuses a replayed request (the same nonce twice)', async () => {
    const user = userCreds();
    const params = signRpc(
      'POST',
      {
        Action: 'AssumeRole',
        Version: '2015-04-01',
        Format: 'JSON',
        AccessKeyId: user.accessKeyId,
        SecurityToken: user.securityToken,
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
        SignatureNonce: 'nonce-once',
        Timestamp: rpcTimestamp(new Date()),
        RoleArn: ROLE_A,
        RoleSessionName: 'replay',
      },
      user.accessKeySecret,
    );
    const send = () =>
      fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      });
    expect((await send()).status).toBe(200);
    const again = await send();
    expect(again.status).toBe(400);
    expect(((await again.json()) as { Code: string }).Code).toBe('SignatureNonceUsed');
  });

  it("accepts the request @alicloud/credentials' RAM-role provider builds (common parameters in the query, the rest in the form body)", async () => {
    const user = userCreds();
    const provider = ramRoleProvider(user, {
      arn: ROLE_A,
      sessionName: 'sdk-session',
      durationSeconds: 900,
      stsHost: new URL(server.url).host,
    });
    let status = 0;
    // Send the library's own request through our fetch (its HTTP client cannot take the demo CA).
    provider.doRequest = async (request) => {
      const url = new URL(server.url);
      for (const [k, v] of Object.entries(request.queries)) url.searchParams.set(k, v);
      const response = await fetch(url, {
        method: request.method,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(request.bodyForm).toString(),
      });
      status = response.status;
      return {
        statusCode: response.status,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(await response.text()),
      };
    };
    const credentials = await provider.getCredentials();
    expect(status).toBe(200);
    expect(sts.lookup(credentials.accessKeyId)?.session?.sessionName).toBe('sdk-session');
  });

  it('answers with the server’s Date, so a client can learn its clock', async () => {
    serverAhead = 30 * 60_000;
    try {
      const response = await fetch(server.url, { method: 'POST' });
      expect(Math.abs(Date.parse(response.headers.get('date') ?? '') - (Date.now() + serverAhead))).toBeLessThan(5000);
      expect(((await response.json()) as { Code: string }).Code).toBe('MissingAccessKeyId');
    } finally {
      serverAhead = 0;
    }
  });
});
