import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUsers } from '../../main/demo/provider/users.js';
import { createDemoTls } from '../../main/demo/tls.js';
import { escapeControls, printable } from '../../main/cli/printable.js';
import { json } from '../../main/cli/io.js';
import { completeLoginOverHttp } from '../helpers/http-browser.js';
import { customProfileArgs, errorCode, HAS_KEYRING, startFixture, type Fixture } from '../helpers/signin-fixture.js';

// Values from a server (ID token claims, OSS fields) reach the terminal without control
// characters: a claim or bucket name holding ESC ]0;… BEL (window title) or ESC [2J (clear the
// screen), or the 8-bit CSI, prints as inert text. JSON output keeps the value, escaped.

const TITLE = '\u001b]0;pwned\u0007';
const CLEAR = '\u001b[2J';
const CSI8 = '\u009b31m';
/** Every byte a terminal would act on. */
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const evil = {
  ...defaultUsers()[0]!,
  login: 'mallory',
  upn: `mallory${TITLE}@example.com${CLEAR}`,
  aid: `1234${CSI8}5678`,
  uid: `2034${CLEAR}5678`,
};
// XML 1.0 has no C0 controls (ESC among them), so what a hostile OSS endpoint can put in a valid
// page is C1 (the 8-bit CSI) and the bidi overrides; a page holding ESC is refused outright.
const BUCKET = `logs${CSI8}2J-\u202eevil`;
const page = (bucket: string, owner: string) => `<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult><Owner><ID>${owner}</ID><DisplayName>d${CSI8}</DisplayName></Owner><Buckets><Bucket><Name>${bucket}</Name><Location>oss-cn-hangzhou</Location><Region>cn-hangzhou</Region><CreationDate>2024-01-01T00:00:00.000Z</CreationDate><StorageClass>Standard${CSI8}</StorageClass><ExtranetEndpoint>e</ExtranetEndpoint><IntranetEndpoint>i</IntranetEndpoint></Bucket></Buckets></ListAllMyBucketsResult>`;
let LIST = page(BUCKET, `owner${CSI8}`);

let fx: Fixture;
let oss: Server;
beforeAll(async () => {
  if (!HAS_KEYRING) return;
  const tls = await createDemoTls();
  oss = createServer({ key: tls.key, cert: tls.cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml' }).end(LIST);
  });
  await new Promise<void>((resolve) => oss.listen(0, '127.0.0.1', resolve));
  fx = await startFixture({ tls, users: [evil, ...defaultUsers()] });
  const ossUrl = `https://127.0.0.1:${(oss.address() as AddressInfo).port}`;
  const added = await fx.cli(customProfileArgs(fx.provider, 'evil', ['--oss-endpoint', ossUrl]));
  expect(added.code, added.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  await fx?.provider.close();
  await new Promise((resolve) => (oss ? oss.close(resolve) : resolve(undefined)));
});

function expectInert(text: string, label: string): void {
  expect(ACTIVE.test(text), `${label} printed a control character: ${JSON.stringify(text)}`).toBe(false);
}

describe.skipIf(!HAS_KEYRING)('server values on the terminal', () => {
  it('ID token claims print without escapes in login, whoami and profile list', async () => {
    const login = await fx.cli(['login', 'evil'], { env: { DEMO_LOGIN: 'mallory' } });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('as mallory]0;pwned@example.com[2J');
    const whoami = await fx.cli(['whoami', 'evil']);
    const list = await fx.cli(['profile', 'list']);
    for (const [label, result] of [
      ['login', login],
      ['whoami', whoami],
      ['profile list', list],
    ] as const) {
      expect(result.code, result.stderr).toBe(0);
      expectInert(result.stdout + result.stderr, label);
    }
    expect(whoami.stdout).toMatch(/Account ID\s+123431m5678/);
    expect(whoami.stdout).toMatch(/Principal ID\s+2034\[2J5678/);
    expect(list.stdout).toContain('mallory]0;pwned@example.com[2J');
  });

  it('--json keeps the claims exactly, with every control character escaped', async () => {
    const whoami = await fx.cli(['whoami', 'evil', '--json']);
    expectInert(whoami.stdout, 'whoami --json');
    const parsed = JSON.parse(whoami.stdout) as { identity: { upn: string; aid: string } };
    expect(parsed.identity.upn).toBe(evil.upn);
    expect(parsed.identity.aid).toBe(evil.aid);
    expect(whoami.stdout).toContain('\\u009b31m');
  });

  it("the site's error words in a sign-in callback print without escapes", async () => {
    const run = fx.cli(['login', 'evil', '--no-browser', '--timeout', '60']);
    const url = await new Promise<string>((resolve) => {
      let seen = '';
      run.child.stderr?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /https:\/\/\S+\/oauth2\/v1\/auth\?\S+/.exec(seen);
        if (match) resolve(match[0]);
      });
    });
    const { finalUrl } = await completeLoginOverHttp(url, {
      ca: fx.provider.ca,
      decision: 'deny',
      followCallback: false,
    });
    const callback = new URL(finalUrl);
    // Not access_denied (whose words are our own): the site's error code and words are printed.
    callback.searchParams.set('error', `invalid_request${TITLE}`);
    callback.searchParams.set('error_description', `Refused${TITLE}${CLEAR}${CSI8} by policy`);
    run.child.stdin?.end(`${callback.href}\n`);
    const result = await run;
    expect(errorCode(result), result.stderr).toBe('AUTH_ERROR');
    expectInert(result.stdout + result.stderr, 'login --no-browser');
    // The site's error code is reduced to word characters; its description to printable ones.
    expect(result.stderr).toContain('invalid_request0pwned');
    expect(result.stderr).toContain('by policy');
  });

  it('OSS bucket names and owner print without escapes; --json keeps them escaped', async () => {
    const table = await fx.cli(['buckets', 'evil']);
    expect(table.code, table.stderr).toBe(0);
    expectInert(table.stdout + table.stderr, 'buckets');
    expect(table.stdout).toContain('logs31m2J-evil');
    expect(table.stderr).toContain('owner owner31m');
    const asJson = await fx.cli(['buckets', 'evil', '--json']);
    expectInert(asJson.stdout, 'buckets --json');
    expect((JSON.parse(asJson.stdout) as { buckets: { name: string }[] }).buckets[0]?.name).toBe(BUCKET);
  });

  it('a page holding ESC (not XML) is refused with OSS_BAD_RESPONSE and prints nothing', async () => {
    LIST = page(`logs${TITLE}${CLEAR}`, 'owner');
    try {
      const result = await fx.cli(['buckets', 'evil']);
      expect(errorCode(result), result.stderr).toBe('OSS_BAD_RESPONSE');
      expect(result.stdout).toBe('');
      expectInert(result.stderr, 'buckets');
    } finally {
      LIST = page(BUCKET, `owner${CSI8}`);
    }
  });
});

describe('printable', () => {
  it('drops C0, DEL, C1 and the bidi controls, and nothing else', () => {
    expect(printable(`a${TITLE}b${CLEAR}c${CSI8}\u007f\u202e\u2066d\n\te`)).toBe('a]0;pwnedb[2Jc31mde');
    expect(printable('阿里云 Ünïcode ok')).toBe('阿里云 Ünïcode ok');
    expect(printable(undefined)).toBe('');
  });

  it('escapes in JSON text what JSON.stringify leaves raw, keeping the value', () => {
    const value = { name: `x${CSI8}\u007f\u202e${TITLE}` };
    const text = json(value);
    expectInert(text, 'json');
    expect(JSON.parse(text)).toEqual(value);
    expect(escapeControls('"\u0085"')).toBe('"\\u0085"');
  });
});
