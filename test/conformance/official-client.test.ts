import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOssServer, type OssServer } from '../../main/demo/oss-server/index.js';
import { clearKeyCache } from '../../main/services/auth/id-token-keys.js';
import { signIn } from '../../main/services/auth/signin.js';
import { signOut } from '../../main/services/auth/signout.js';
import { defaultClientSettings } from '../../main/services/auth/sites.js';
import { consoleSigninUrl } from '../../main/services/console/federation.js';
import { createServices, type Services } from '../../main/services/context.js';
import type { FetchLike } from '../../main/services/net/http.js';
import { MemorySecretStore } from '../../main/services/secrets/memory-store.js';
import { listProfileBuckets } from '../../main/services/sts/profile-buckets.js';
import { completeLoginOverHttp } from '../helpers/http-browser.js';
import { OSS_HOST, startSiteTunnel, type SiteTunnel } from '../helpers/site-tunnel.js';
import { OFFICIAL_REQUESTS, type OfficialRequest } from '../helpers/official-requests.js';

// Every request the app sends while it signs in, refreshes, exchanges, lists buckets, opens the
// console and signs out on the cn site, captured where it leaves the app (the injected fetch, and
// the URL handed to the browser), compared field by field with what the official clients send.

interface Captured {
  method: string;
  url: URL;
  headers: Headers;
  body: string | undefined;
}

function recording(fetch: FetchLike, log: Captured[]): FetchLike {
  return (input, init = {}) => {
    const body = init.body;
    log.push({
      method: (init.method ?? 'GET').toUpperCase(),
      url: new URL(input),
      headers: new Headers(init.headers),
      body: body === undefined || body === null ? undefined : typeof body === 'string' ? body : String(body),
    });
    return fetch(input, init);
  };
}

function entryFor(request: Captured): OfficialRequest | undefined {
  const here = `${request.url.origin}${request.url.pathname}`;
  const candidates = OFFICIAL_REQUESTS.filter((e) => e.method === request.method && e.url === here);
  if (candidates.length <= 1) return candidates[0];
  const grant = new URLSearchParams(request.body ?? '').get('grant_type');
  return candidates.find((e) => e.fixed?.grant_type === grant);
}

/** Every difference between a captured request and the official one, in words that name the field. */
function differences(request: Captured, entry: OfficialRequest): string[] {
  const found: string[] = [];
  const fields = entry.body === 'form' ? new URLSearchParams(request.body ?? '') : request.url.searchParams;
  const names = new Set(fields.keys());
  const allowed = new Set([...entry.fields, ...(entry.optional ?? []), ...Object.keys(entry.ours ?? {})]);
  for (const name of entry.fields) if (!names.has(name)) found.push(`${entry.name}: missing field "${name}"`);
  for (const name of Object.keys(entry.ours ?? {}))
    if (!names.has(name)) found.push(`${entry.name}: missing our field "${name}"`);
  for (const name of names) if (!allowed.has(name)) found.push(`${entry.name}: added field "${name}"`);
  for (const [name, value] of Object.entries(entry.fixed ?? {})) {
    if (fields.get(name) !== value)
      found.push(`${entry.name}: field "${name}" is "${fields.get(name)}", not "${value}"`);
  }
  if (entry.body !== 'form' && request.method === 'GET' && request.body) found.push(`${entry.name}: a GET with a body`);
  if (entry.body === 'empty' && request.body) found.push(`${entry.name}: a body where the official client sends none`);
  if (entry.body !== 'form' && entry.method === 'POST' && request.url.search) {
    found.push(`${entry.name}: query parameters on a POST`);
  }
  for (const [name, expected] of Object.entries(entry.headers)) {
    const actual = request.headers.get(name);
    const ok = actual !== null && (typeof expected === 'string' ? actual === expected : expected.test(actual));
    if (!ok)
      found.push(`${entry.name}: header "${name}" is ${actual === null ? 'missing' : `"${actual.slice(0, 40)}…"`}`);
  }
  for (const name of Object.keys(entry.headersLeftOut ?? {})) {
    if (request.headers.has(name)) found.push(`${entry.name}: header "${name}" is sent though left out on purpose`);
  }
  return found;
}

describe('every request the app sends on the cn site matches the official clients', () => {
  let tunnel: SiteTunnel;
  let oss: OssServer;
  let services: Services;
  const log: Captured[] = [];

  beforeAll(async () => {
    clearKeyCache();
    tunnel = await startSiteTunnel('cn');
    oss = await startOssServer({ sts: tunnel.provider.sts, tls: tunnel.tls, seed: { count: 1200 } });
    tunnel.route(OSS_HOST, Number(new URL(oss.url).port));
    const dataDir = await mkdtemp(join(tmpdir(), 'alicloud-conformance-'));
    services = createServices({
      dataDir,
      fetch: recording(tunnel.fetch, log),
      secrets: new MemorySecretStore(),
      openBrowser: async (url) => {
        log.push({ method: 'GET', url: new URL(url), headers: new Headers(), body: undefined });
        void completeLoginOverHttp(url, { ca: tunnel.ca, proxy: tunnel.proxyUrl }).catch(() => undefined);
      },
    });
    await services.store.add({ name: 'prod', site: 'cn', client: defaultClientSettings('cn'), region: 'cn-hangzhou' });

    const profile = await signIn(services, 'prod', { timeoutMs: 30_000 });
    await services.tokens.renewAccessToken(profile.id);
    const buckets = await listProfileBuckets({ sts: services.sts, fetch: services.fetch }, profile);
    expect(buckets.buckets.length).toBe(1200);
    const credentials = await services.sts.credentials(profile.id);
    await consoleSigninUrl({ fetch: services.fetch, profile, credentials });
    await signOut(services, 'prod');
  });
  afterAll(async () => {
    await oss?.close();
    await tunnel?.close();
  });

  it('covers every kind of request: sign-in, refresh, exchange, keys, buckets (all pages), console, revoke', () => {
    const kinds = new Set(log.map((request) => entryFor(request)?.name ?? 'unknown'));
    expect([...kinds].sort()).toEqual(OFFICIAL_REQUESTS.map((e) => e.name).sort());
    const pages = log.filter((r) => r.url.host === OSS_HOST);
    expect(pages.length).toBe(2);
    expect(pages[1]?.url.searchParams.get('marker')).toBeTruthy();
  });

  it('adds no field and leaves none out', () => {
    const found = log.flatMap((request) => {
      const entry = entryFor(request);
      return entry
        ? differences(request, entry)
        : [`no official request is ${request.method} ${request.url.origin}${request.url.pathname}`];
    });
    expect(found).toEqual([]);
  });

  it('the comparison fails, naming the field, when a field is added or missing', () => {
    const exchange = log.find((r) => entryFor(r)?.name === 'exchange for STS credentials');
    const code = log.find((r) => entryFor(r)?.name === 'code for tokens');
    if (!exchange || !code) throw new Error('not captured');
    const entry = entryFor(code) as OfficialRequest;
    const withNonce = { ...code, body: `${code.body ?? ''}&nonce=x` };
    expect(differences(withNonce, entry)).toContain('code for tokens: added field "nonce"');
    const withoutVerifier = {
      ...code,
      body: new URLSearchParams(
        [...new URLSearchParams(code.body ?? '')].filter(([k]) => k !== 'code_verifier'),
      ).toString(),
    };
    expect(differences(withoutVerifier, entry)).toContain('code for tokens: missing field "code_verifier"');
    const headers = new Headers(exchange.headers);
    headers.delete('content-type');
    expect(differences({ ...exchange, headers }, entryFor(exchange) as OfficialRequest)).toContain(
      'exchange for STS credentials: header "content-type" is missing',
    );
  });
});
