import { mkdtemp } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoProvider, type DemoProvider } from '../../../main/demo/provider/index.js';
import { clearKeyCache } from '../../../main/services/auth/id-token-keys.js';
import { signIn, type SignInProgress } from '../../../main/services/auth/signin.js';
import { defaultClientSettings } from '../../../main/services/auth/sites.js';
import { createServices, type Services } from '../../../main/services/context.js';
import { createFetch } from '../../../main/services/net/http.js';
import type { Profile } from '../../../main/services/profiles/schema.js';
import { MemorySecretStore } from '../../../main/services/secrets/memory-store.js';
import { completeLoginOverHttp } from '../../helpers/http-browser.js';
import { startSiteTunnel, type SiteTunnel } from '../../helpers/site-tunnel.js';

// Sign-ins against providers that behave as Alibaba documents its service (no nonce echoed, an INTL
// issuer under either name, optional claims missing, HS256 ID tokens, no keys endpoint), reached
// through the cn/intl site table itself: what passes here is what a real person's sign-in sends.

interface Run {
  services: Services;
  url: URL | undefined;
  progress: SignInProgress[];
}

async function servicesFor(
  fetch: Services['fetch'],
  browse: (url: string) => Promise<void>,
): Promise<{ services: Services; seen: { url: URL | undefined } }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'alicloud-fidelity-'));
  const seen: { url: URL | undefined } = { url: undefined };
  const services = createServices({
    dataDir,
    fetch,
    secrets: new MemorySecretStore(),
    openBrowser: async (url) => {
      seen.url = new URL(url);
      // The person's browser runs on its own: the opener returns at once.
      void browse(url).catch(() => undefined);
    },
  });
  return { services, seen };
}

async function signInOn(
  tunnel: SiteTunnel,
  site: 'cn' | 'intl',
  more: Partial<Profile> = {},
): Promise<Run & { profile: Profile }> {
  const { services, seen } = await servicesFor(tunnel.fetch, (url) =>
    completeLoginOverHttp(url, { ca: tunnel.ca, proxy: tunnel.proxyUrl }).then(() => undefined),
  );
  await services.store.add({ name: site, site, client: defaultClientSettings(site), region: 'cn-hangzhou', ...more });
  const progress: SignInProgress[] = [];
  const profile = await signIn(services, site, { timeoutMs: 30_000, onProgress: (p) => progress.push(p) });
  return { services, url: seen.url, progress, profile };
}

function notices(progress: SignInProgress[]): string[] {
  return progress.flatMap((p) => (p.kind === 'notice' ? [p.text] : []));
}

describe('cn site, as the official CLI signs in', () => {
  let tunnel: SiteTunnel;
  beforeAll(async () => {
    tunnel = await startSiteTunnel('cn');
  });
  afterAll(async () => tunnel.close());
  afterEach(() => {
    tunnel.provider.resetFaults();
    clearKeyCache();
  });

  it('sends exactly the official parameters (no nonce, no scope) and signs in with an ID token that has no nonce', async () => {
    const { url, profile } = await signInOn(tunnel, 'cn');
    expect(url?.origin + (url?.pathname ?? '')).toBe('https://signin.aliyun.com/oauth2/v1/auth');
    expect([...(url?.searchParams.keys() ?? [])].sort()).toEqual(
      [
        'access_type',
        'client_id',
        'code_challenge',
        'code_challenge_method',
        'redirect_uri',
        'response_type',
        'state',
      ].sort(),
    );
    expect(url?.searchParams.get('client_id')).toBe('4038181954557748008');
    expect(url?.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:1234[5-9]\/cli\/callback$/);
    expect(profile.status).toBe('signed-in');
    expect(profile.identity?.aid).toBeDefined();
    // Every request went to Alibaba's own hosts, through the proxy.
    expect(new Set(tunnel.connects)).toEqual(new Set(['signin.aliyun.com:443', 'oauth.aliyun.com:443']));
  });

  it('accepts an ID token with only the required claims, and says who signed in as far as it can', async () => {
    tunnel.provider.faults.minimalIdToken = true;
    const { profile } = await signInOn(tunnel, 'cn');
    expect(profile.status).toBe('signed-in');
    expect(profile.identity).toEqual({ sub: expect.any(String) });
  });

  it('accepts an HS256 ID token (seed 001) and says its signature could not be checked', async () => {
    tunnel.provider.faults.idTokenHs256 = true;
    const { profile, progress } = await signInOn(tunnel, 'cn');
    expect(profile.status).toBe('signed-in');
    expect(notices(progress).join(' ')).toMatch(/shared secret \(HMAC\)/);
  });

  it('signs in without an ID token, and says so', async () => {
    tunnel.provider.faults.noIdToken = true;
    const { profile, progress } = await signInOn(tunnel, 'cn');
    expect(profile.status).toBe('signed-in');
    expect(profile.identity).toBeUndefined();
    expect(notices(progress).join(' ')).toMatch(/no ID token/);
  });

  it('is not blocked when the keys cannot be fetched, and says the signature was not checked', async () => {
    tunnel.provider.faults.jwksStatus = 503;
    const { profile, progress } = await signInOn(tunnel, 'cn');
    expect(profile.status).toBe('signed-in');
    expect(notices(progress).join(' ')).toMatch(/keys could not be fetched/);
  });

  it('verifies the signature when the keys are there, and refuses a broken one', async () => {
    const ok = await signInOn(tunnel, 'cn');
    expect(notices(ok.progress)).toEqual([]);
    tunnel.provider.faults.idTokenBadSignature = true;
    await expect(signInOn(tunnel, 'cn')).rejects.toMatchObject({
      code: 'ID_TOKEN_INVALID',
      message: expect.stringMatching(/signature does not match/),
    });
  });

  it('refuses an ID token carrying a nonce when none was sent', async () => {
    tunnel.provider.faults.idTokenNonce = 'replayed-from-elsewhere';
    await expect(signInOn(tunnel, 'cn')).rejects.toMatchObject({ code: 'ID_TOKEN_INVALID' });
  });
});

describe('intl site', () => {
  let tunnel: SiteTunnel;
  beforeAll(async () => {
    tunnel = await startSiteTunnel('intl');
  });
  afterAll(async () => tunnel.close());
  afterEach(() => tunnel.provider.resetFaults());

  it.each([['https://oauth.alibabacloud.com'], ['https://oauth.aliyun.com']])(
    'accepts ID tokens issued by %s, and refreshes afterwards',
    async (issuer) => {
      tunnel.provider.faults.idTokenIssuer = issuer;
      const { services, profile, url } = await signInOn(tunnel, 'intl');
      expect(url?.host).toBe('signin.alibabacloud.com');
      expect(url?.searchParams.get('client_id')).toBe('4103531455503354461');
      expect(url?.searchParams.has('nonce')).toBe(false);
      expect(profile.status).toBe('signed-in');
      const before = tunnel.provider.stats.refreshGrants;
      await services.tokens.renewAccessToken(profile.id);
      expect(tunnel.provider.stats.refreshGrants).toBeGreaterThan(before);
    },
  );

  it('refuses any other issuer', async () => {
    tunnel.provider.faults.idTokenIssuer = 'https://oauth.example.com';
    await expect(signInOn(tunnel, 'intl')).rejects.toMatchObject({ code: 'ID_TOKEN_INVALID' });
  });
});

describe('custom site: a nonce is sent, and optional in the answer', () => {
  const providers: DemoProvider[] = [];
  afterAll(async () => Promise.all(providers.map((p) => p.close())));

  async function customSignIn(provider: DemoProvider, nonce?: boolean) {
    const { services, seen } = await servicesFor(createFetch({ ca: provider.ca }), (url) =>
      completeLoginOverHttp(url, { ca: provider.ca }).then(() => undefined),
    );
    await services.store.add({
      name: 'own',
      site: 'custom',
      client: {
        clientId: provider.clientId,
        redirect: { kind: 'loopback', ports: 0, callbackPath: '/cli/callback' },
        ...(nonce === undefined ? {} : { nonce }),
      },
      endpoints: provider.endpoints,
      region: 'cn-hangzhou',
    });
    const profile = await signIn(services, 'own', { timeoutMs: 30_000 });
    return { profile, url: seen.url };
  }

  it('with a conformant provider that echoes it', async () => {
    const provider = await startDemoProvider({ conformant: true });
    providers.push(provider);
    const { profile, url } = await customSignIn(provider);
    expect(url?.searchParams.get('nonce')).toBeTruthy();
    expect(profile.status).toBe('signed-in');
  });

  it('with a provider that ignores it, as Alibaba would', async () => {
    const provider = await startDemoProvider();
    providers.push(provider);
    const { profile } = await customSignIn(provider);
    expect(profile.status).toBe('signed-in');
  });

  it('refuses a nonce that is not ours, and a custom site whose keys cannot be fetched', async () => {
    const provider = await startDemoProvider({ conformant: true });
    providers.push(provider);
    provider.faults.idTokenNonce = 'not-ours';
    await expect(customSignIn(provider)).rejects.toMatchObject({ code: 'ID_TOKEN_INVALID' });
    provider.resetFaults();
    provider.faults.jwksStatus = 500;
    clearKeyCache();
    await expect(customSignIn(provider)).rejects.toMatchObject({
      code: 'ID_TOKEN_INVALID',
      message: expect.stringMatching(/keys .* could not be fetched/),
    });
  });

  it('sends none when the profile says so', async () => {
    const provider = await startDemoProvider({ conformant: true });
    providers.push(provider);
    const { url, profile } = await customSignIn(provider, false);
    expect(url?.searchParams.has('nonce')).toBe(false);
    expect(profile.status).toBe('signed-in');
  });
});

describe('the loopback receiver waits through stray requests', () => {
  let provider: DemoProvider;
  beforeAll(async () => {
    provider = await startDemoProvider();
  });
  afterAll(async () => provider.close());

  function get(url: string): Promise<number> {
    return new Promise((resolve, reject) => {
      request(url, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
  }

  it('answers 400 to requests without this sign-in state, reports each, and still completes', async () => {
    const statuses: number[] = [];
    const { services } = await servicesFor(createFetch({ ca: provider.ca }), async (url) => {
      const redirect = new URL(url).searchParams.get('redirect_uri') ?? '';
      // Another local process, or a web page, loads the callback URL first.
      statuses.push(await get(redirect));
      statuses.push(await get(`${redirect}?code=forged&state=wrong`));
      statuses.push(await get(`${redirect}?error=access_denied`));
      await completeLoginOverHttp(url, { ca: provider.ca });
    });
    await services.store.add({
      name: 'own',
      site: 'custom',
      client: { clientId: provider.clientId, redirect: { kind: 'loopback', ports: 0, callbackPath: '/cli/callback' } },
      endpoints: provider.endpoints,
      region: 'cn-hangzhou',
    });
    const progress: SignInProgress[] = [];
    const profile = await signIn(services, 'own', { timeoutMs: 30_000, onProgress: (p) => progress.push(p) });
    expect(profile.status).toBe('signed-in');
    expect(statuses).toEqual([400, 400, 400]);
    expect(progress.filter((p) => p.kind === 'stray')).toHaveLength(3);
  });

  it('still ends at once on a refusal that carries the state', async () => {
    const { services } = await servicesFor(createFetch({ ca: provider.ca }), async (url) => {
      await completeLoginOverHttp(url, { ca: provider.ca, decision: 'deny' });
    });
    await services.store.add({
      name: 'own',
      site: 'custom',
      client: { clientId: provider.clientId, redirect: { kind: 'loopback', ports: 0, callbackPath: '/cli/callback' } },
      endpoints: provider.endpoints,
      region: 'cn-hangzhou',
    });
    const started = Date.now();
    await expect(signIn(services, 'own', { timeoutMs: 30_000 })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
