import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, HAS_KEYRING } from '../../helpers/signin-fixture.js';
import { startBrokerFixture, type BrokerFixture } from '../../helpers/broker-fixture.js';
import { pathOf, rawRequest } from '../../helpers/broker-http.js';

// `console`: federation with the profile's STS credentials on the demo site's /federation.

let fx: BrokerFixture;
let agent: Agent;
beforeAll(async () => {
  if (!HAS_KEYRING) return;
  fx = await startBrokerFixture();
  agent = new Agent({ connect: { ca: fx.provider.ca } });
}, 120_000);
afterAll(async () => {
  await agent?.close();
  await fx?.close();
});

const open = (url: string) => fetch(url, { redirect: 'manual', dispatcher: agent });

describe.skipIf(!HAS_KEYRING)('console sign-in', () => {
  it('--print gives a one-time Login URL that lands on the console home', async () => {
    const result = await fx.ok(['console', 'demo', '--print']);
    const url = new URL(result.stdout.trim());
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(`${url.origin}${url.pathname}`).toBe(`${fx.provider.issuer}/federation`);
    expect(url.searchParams.get('Action')).toBe('Login');
    expect(url.searchParams.get('Destination')).toBe('https://home.console.aliyun.com/');
    expect(url.searchParams.get('SigninToken')).toBeTruthy();
    expect(url.searchParams.get('LoginUrl')).toBe(`${fx.provider.issuer}/`);
    expect(result.stderr).not.toContain(url.searchParams.get('SigninToken') as string);

    const first = await open(url.href);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('https://home.console.aliyun.com/');
    expect((await open(url.href)).status, 'a sign-in token works once').toBe(403);
  });

  it('takes an official --destination and refuses any other', async () => {
    const destination = 'https://ecs.console.aliyun.com/?regionId=cn-hangzhou#/server';
    const url = (await fx.ok(['console', 'demo', '--print', '--destination', destination])).stdout.trim();
    expect((await open(url)).headers.get('location')).toBe(destination);
    for (const bad of [
      'https://evil.example/',
      'http://ecs.console.aliyun.com/',
      'https://aliyun.com.evil.example/',
      'notaurl',
    ]) {
      const refused = await fx.cli(['console', 'demo', '--print', '--destination', bad]);
      expect(errorCode(refused), bad).toBe('INVALID_INPUT');
      expect(refused.stdout).toBe('');
    }
  });

  it('says plainly when the site refuses these STS credentials', async () => {
    const broker = await fx.serve();
    try {
      const answer = await rawRequest(fx.port, pathOf(await fx.url('demo')));
      const issued = fx.sts.lookup(answer.json().AccessKeyId as string);
      fx.sts.revokeSubject(issued?.subject as string); // the broker still holds them; the site no longer knows them
      const result = await fx.cli(['console', 'demo', '--print']);
      expect(errorCode(result)).toBe('ACCESS_DENIED');
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('refused to sign profile "demo" in to the console');
      expect(result.stderr).not.toContain(issued?.securityToken as string);
    } finally {
      await broker.stop();
    }
  });
});
