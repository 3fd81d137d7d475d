import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoProvider, type DemoProvider } from '../../../main/demo/provider/index.js';
import { createDemoTls } from '../../../main/demo/tls.js';
import { createHandlers, type Backend } from '../../../main/ipc/handlers.js';
import { unwrap } from '../../../main/ipc/result.js';
import { UriSecrets, uriSecretAccount } from '../../../main/services/broker/uri-secrets.js';
import { editProfile } from '../../../main/services/app/profiles.js';
import { createServices, type Services } from '../../../main/services/context.js';
import type { Profile } from '../../../main/services/profiles/schema.js';
import { createFetch } from '../../../main/services/net/http.js';
import { KeyringSecretStore } from '../../../main/services/secrets/keyring-store.js';
import type { ProfileView } from '../../../shared/contract.js';
import { completeLoginOverHttp } from '../../helpers/http-browser.js';
import { HAS_KEYRING, keychainLookup } from '../../helpers/signin-fixture.js';

// The window's Edit and Remove over the real keychain and two demo sites: an edit that points a
// signed-in profile at another site signs it out at the OLD site first, so its refresh token never
// reaches the new one; a removal deletes the broker secret too, as the CLI's does.

let oldSite: DemoProvider;
let newSite: DemoProvider;
let dir: string;
let services: Services;
let backend: Backend;
let ca: string;
/** What the person does in the window after the browser opened and before they sign in there. */
let meanwhile: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (!HAS_KEYRING) return;
  const tls = await createDemoTls();
  ca = tls.ca;
  oldSite = await startDemoProvider({ tls });
  newSite = await startDemoProvider({ tls });
  dir = await mkdtemp(join(tmpdir(), 'alicloud-signin-lifecycle-'));
  services = createServices({
    dataDir: dir,
    env: {},
    secrets: new KeyringSecretStore(),
    fetch: createFetch({ ca: tls.ca }),
    openBrowser: async (url) => {
      const person = async () => {
        await meanwhile?.();
        await completeLoginOverHttp(url, { ca: tls.ca, followCallback: true });
      };
      void person().catch(() => undefined);
    },
  });
  backend = createHandlers({ services, sts: services.sts });
}, 60_000);

afterAll(async () => {
  await backend?.close();
  await oldSite?.close();
  await newSite?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const h = () => backend.handlers;

async function signedInProfile(name: string): Promise<ProfileView> {
  const added = unwrap(
    await h()['profiles:add']({ name, preset: 'own-app', clientId: oldSite.clientId, endpoints: oldSite.endpoints }),
  );
  const signedIn = unwrap(await h()['auth:sign-in']({ id: added.id }));
  expect(signedIn.status).toBe('signed-in');
  expect(await keychainLookup(added.id)).toBeTruthy();
  return signedIn;
}

describe.skipIf(!HAS_KEYRING)('editing a signed-in profile in the window', () => {
  it('keeps the sign-in when the change does not touch the site', async () => {
    const profile = await signedInProfile('keeps');
    const revocations = oldSite.stats.revocations;
    const renamed = unwrap(
      await h()['profiles:update']({ id: profile.id, changes: { name: 'kept', region: 'cn-shanghai' } }),
    );
    expect(renamed).toMatchObject({ name: 'kept', status: 'signed-in' });
    expect(oldSite.stats.revocations).toBe(revocations);
    expect(await keychainLookup(profile.id)).toBeTruthy();
  });

  it('signs out at the old site before saving other endpoints; nothing reaches the new site', async () => {
    const profile = await signedInProfile('moves');
    const token = await keychainLookup(profile.id);
    const revocations = oldSite.stats.revocations;
    const edited = unwrap(await h()['profiles:update']({ id: profile.id, changes: { endpoints: newSite.endpoints } }));

    expect(edited.status).toBe('signed-out');
    expect(edited.authorizationEndpoint).toBe(newSite.endpoints.authorization);
    expect(oldSite.stats.revocations - revocations, 'revoked at the old site').toBe(1);
    expect(await keychainLookup(profile.id), 'keychain entry').toBeNull();

    // Everything that would use the sign-in now says so, and asks nothing of the new site.
    await expect(services.sts.credentials(profile.id)).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
    await expect(services.tokens.refresh(profile.id)).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
    expect(newSite.stats).toMatchObject({ refreshGrants: 0, exchanges: 0, revocations: 0, rotatedOutReuse: 0 });
    // The old site no longer honours the old token either.
    const agent = new Agent({ connect: { ca } });
    try {
      const redeem = await undiciFetch(oldSite.endpoints.token, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: token as string,
          client_id: oldSite.clientId,
        }).toString(),
        dispatcher: agent,
      });
      expect(redeem.status).toBe(400);
      expect(((await redeem.json()) as { error?: string }).error).toBe('invalid_grant');
    } finally {
      await agent.close();
    }
  });

  it('does not keep a sign-in under way when another process points the profile at another site meanwhile', async () => {
    const added = unwrap(
      await h()['profiles:add']({
        name: 'mid-flight',
        preset: 'own-app',
        clientId: oldSite.clientId,
        endpoints: oldSite.endpoints,
      }),
    );
    const revocations = oldSite.stats.revocations;
    // The window's own edit cancels its sign-in; another process (a `login` in a terminal while the
    // window edits, or the other way round) has only the data folder and its locks in common.
    const other = createServices({
      dataDir: dir,
      env: {},
      secrets: new KeyringSecretStore(),
      fetch: createFetch({ ca }),
    });
    let edited: Profile | undefined;
    meanwhile = async () => {
      edited = (await editProfile(other, added.id, { endpoints: newSite.endpoints })).profile;
    };
    try {
      const result = await h()['auth:sign-in']({ id: added.id });
      expect(result).toMatchObject({ ok: false, error: { code: 'SIGNIN_CANCELLED' } });
      expect(result.ok ? '' : result.error.message).toMatch(/pointed at another site while you signed in/);
    } finally {
      meanwhile = undefined;
    }
    expect(edited?.endpoints).toEqual(newSite.endpoints);
    // The old site's token was revoked there, never stored, and the new site heard nothing.
    expect(oldSite.stats.revocations - revocations).toBe(1);
    expect(await keychainLookup(added.id)).toBeNull();
    expect(await services.store.resolve(added.id)).toMatchObject({
      status: 'signed-out',
      endpoints: newSite.endpoints,
    });
    expect(newSite.stats).toMatchObject({ refreshGrants: 0, exchanges: 0, revocations: 0 });
  });

  it('signs out when the client id changes', async () => {
    const profile = await signedInProfile('client');
    const revocations = oldSite.stats.revocations;
    const edited = unwrap(
      await h()['profiles:update']({ id: profile.id, changes: { clientId: '4099999999999999999' } }),
    );
    expect(edited.status).toBe('signed-out');
    expect(oldSite.stats.revocations - revocations).toBe(1);
    expect(await keychainLookup(profile.id)).toBeNull();
  });
});

describe.skipIf(!HAS_KEYRING)('removing a profile in the window', () => {
  it("keeps a role profile's source, signed in, as the CLI does", async () => {
    const source = await signedInProfile('source');
    const current = await services.store.resolve(source.id);
    await services.store.add({
      name: 'role-on-source',
      site: current.site,
      client: current.client,
      region: current.region,
      ...(current.endpoints ? { endpoints: current.endpoints } : {}),
      role: {
        arn: 'acs:ram::1234567890123456:role/admin',
        sourceProfileId: source.id,
        sessionName: 'test',
        durationSeconds: 3600,
      },
    });
    const role = await services.store.resolve('role-on-source');
    // A role has no site of its own to point elsewhere; its name and region are its own.
    const moved = await h()['profiles:update']({ id: role.id, changes: { endpoints: newSite.endpoints } });
    expect(moved).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await services.store.resolve(role.id)).endpoints).toEqual(current.endpoints);
    unwrap(await h()['profiles:update']({ id: role.id, changes: { region: 'cn-shanghai' } }));
    const refused = await h()['profiles:remove']({ id: source.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ROLE_SOURCE_IN_USE' } });
    expect(await keychainLookup(source.id)).toBeTruthy();
    expect((await services.store.resolve(source.id)).status).toBe('signed-in');
    unwrap(await h()['profiles:remove']({ id: (await services.store.resolve('role-on-source')).id }));
  });

  it('revokes, and deletes the refresh token and the broker secret from the keychain', async () => {
    const profile = await signedInProfile('removed');
    await new UriSecrets(services.secrets).ensure(profile.id);
    expect(await keychainLookup(uriSecretAccount(profile.id))).toBeTruthy();
    const revocations = oldSite.stats.revocations;

    const result = unwrap(await h()['profiles:remove']({ id: profile.id }));
    expect(result).toMatchObject({ profile: null, revocation: 'revoked' });
    expect(oldSite.stats.revocations - revocations).toBe(1);
    expect(await keychainLookup(profile.id)).toBeNull();
    expect(await keychainLookup(uriSecretAccount(profile.id))).toBeNull();
    expect(unwrap(await h()['profiles:list']({})).profiles.map((p) => p.name)).not.toContain('removed');
  });
});
