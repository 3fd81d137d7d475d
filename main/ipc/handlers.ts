import { DEMO_PASSWORD, defaultUsers } from '../demo/provider/users.js';
import { signIn } from '../services/auth/signin.js';
import { signOut, type Revocation } from '../services/auth/signout.js';
import type { Services } from '../services/context.js';
import { AppError, isAppError } from '../services/core/errors.js';
import { changesSite, removeProfile, updateProfile } from '../services/profiles/lifecycle.js';
import type { Profile } from '../services/profiles/schema.js';
import { listProfileBuckets, type ProfileBucketsDeps } from '../services/sts/profile-buckets.js';
import type { StsService } from '../services/sts/sts-service.js';
import type { ProfilesSnapshot, ProfileView, SignInPhase, SignOutResult } from '../../preload/contract.js';
import { hostedChannels, type HostedChannels, type HostedImplementation } from './broker-host.js';
import { hubUnavailable, type HubChannels, type HubImplementation } from './hub-handlers.js';
import { isDemoProfile } from './demo-profile.js';
import type { DemoLauncher } from './demo-site.js';
import { patchFromChanges, profileFromDraft } from './drafts.js';
import { EventHub } from './events.js';
import { guardedOpener } from './open-guard.js';
import { asErrorCode, toWireError } from './result.js';
import { SignInRegistry } from './signins.js';
import { createHandlerTable, type HandlerTable, type Implementation } from './table.js';
import { toProfileView, toSnapshot } from './views.js';

export interface HandlerDeps {
  services: Pick<Services, 'store' | 'secrets' | 'fetch' | 'tokens' | 'openBrowser'>;
  sts: StsService;
  /** Server time (a ServerClock): OSS requests are signed in its time, skew is reported. */
  clock?: ProfileBucketsDeps['clock'];
  /** The demo site, started only when a demo profile is added or used. */
  demo?: DemoLauncher;
  /** Writes to the system clipboard (the shell's; absent where there is none). */
  copyText?: (text: string) => void | Promise<void>;
  info?: { version: string; platform: string };
  /** Default 5 minutes. */
  signInTimeoutMs?: number;
  /** The broker's status and "Start at login" (backend.ts); default: no broker, no login item. */
  hosted?: HostedImplementation;
  /** The hub's channels (hub-handlers.ts, made by backend.ts); default: each says it is not available. */
  hub?: HubImplementation;
}

/** What a transport binds: the handler table, the events, and the deep-link entry. */
export interface Backend {
  handlers: HandlerTable;
  events: EventHub;
  /** Routes a deep link (second-instance / open-url) to the sign-in waiting for it. */
  deliverDeepLink(url: string): boolean;
  snapshot(): Promise<ProfilesSnapshot>;
  /** How long the held STS credentials of a profile stay valid (for expiry notices). */
  stsValidFor(profileId: string): number | undefined;
  close(): Promise<void>;
}

/**
 * The plain functions behind every channel, with no Electron in sight: the shell binds them to
 * IPC, the end-to-end bridge to a socket, over the same services.
 */
export function createHandlers(deps: HandlerDeps): Backend {
  const { services, sts } = deps;
  const { store } = services;
  const events = new EventHub();
  const signins = new SignInRegistry();
  const listings = new Map<string, AbortController>();

  const snapshot = async () => toSnapshot(await store.read(), deps.clock?.offsetMs() ?? 0);
  const view = async (profile: Profile): Promise<ProfileView> => toProfileView(profile, (await store.read()).activeProfileId);
  const announce = async () => {
    try {
      events.emit('profiles-changed', await snapshot());
    } catch {
      // The next successful read announces the state; a failing store is reported by the call itself.
    }
  };

  /** A profile ready for use; a demo profile follows the demo site's current ports. */
  async function prepared(id: string): Promise<Profile> {
    const profile = await store.resolve(id);
    if (!isDemoProfile(profile) || !deps.demo) return profile;
    const site = await deps.demo.ensure();
    if (profile.endpoints?.issuer === site.endpoints.issuer && profile.ossEndpoint === site.ossEndpoint) return profile;
    return store.patch(profile.id, { endpoints: site.endpoints, ossEndpoint: site.ossEndpoint });
  }

  /** Nothing in flight for this profile may finish after it was signed out. */
  function stopWork(id: string): void {
    signins.cancel(id);
    listings.get(id)?.abort();
  }

  async function endSignIn(id: string): Promise<SignOutResult> {
    stopWork(id);
    const { profile, revocation } = await signOut(services, id);
    sts.forget(profile.id);
    return { profile: await view(profile), ...revocationResult(revocation) };
  }

  const impl: Omit<Implementation, HostedChannels | HubChannels> = {
    'profiles:list': () => snapshot(),

    'profiles:add': async (draft) => {
      let demoSite;
      if (draft.preset === 'demo') {
        if (!deps.demo) throw new AppError('INVALID_INPUT', 'The demo site is not available in this build.');
        demoSite = await deps.demo.ensure();
      }
      const profile = await store.add(profileFromDraft(draft, demoSite));
      void announce();
      return view(profile);
    },

    'profiles:update': async ({ id, changes }) => {
      const profile = await store.resolve(id);
      // Another site or client id: signed out at the old site before the new endpoints are saved.
      if (changesSite(profile, patchFromChanges(profile, changes))) stopWork(profile.id);
      const { profile: updated, signedOut } = await updateProfile(services, profile.id, (current) =>
        patchFromChanges(current, changes),
      );
      if (signedOut) sts.forget(updated.id);
      void announce();
      return view(updated);
    },

    'profiles:remove': async ({ id }) => {
      // The same removal as the CLI's: signed out first, broker secret deleted too.
      const profile = await store.resolve(id);
      stopWork(profile.id);
      try {
        const { revocation } = await removeProfile(services, profile.id);
        return { profile: null, ...revocationResult(revocation) };
      } finally {
        sts.forget(profile.id);
        void announce();
      }
    },

    'profiles:activate': async ({ id }) => {
      await store.setActive(id);
      const current = await snapshot();
      events.emit('profiles-changed', current);
      return current;
    },

    'auth:sign-in': async ({ id }) => {
      const profile = await prepared(id);
      const session = signins.begin(profile.id);
      const progress = (phase: SignInPhase) => events.emit('sign-in-progress', { profileId: profile.id, phase });
      try {
        const signedIn = await signIn({ ...services, openBrowser: guardedOpener(services.openBrowser, profile) }, profile.id, {
          signal: session.abort.signal,
          deepLink: session.deepLink,
          ...(deps.signInTimeoutMs !== undefined ? { timeoutMs: deps.signInTimeoutMs } : {}),
          onProgress: (step) => {
            if (step.kind === 'waiting') session.waiting(step.url);
            // Stray callbacks and notices are the CLI's lines; the window shows the outcome.
            if (step.kind === 'waiting' || step.kind === 'exchanging') progress(step);
          },
        });
        sts.forget(profile.id);
        const result = await view(signedIn);
        progress({ kind: 'finished', profile: result });
        return result;
      } catch (error) {
        progress({ kind: 'failed', error: toWireError(error) });
        throw error;
      } finally {
        signins.end(session);
        void announce();
      }
    },

    'auth:cancel-sign-in': async ({ id }) => ({ cancelled: signins.cancel(id) }),

    'auth:open-browser': async ({ id }) => {
      const url = signins.get(id)?.url;
      if (!url) return { opened: false };
      await guardedOpener(services.openBrowser, await store.resolve(id))(url);
      return { opened: true };
    },

    'auth:sign-out': async ({ id }) => {
      try {
        return await endSignIn(id);
      } finally {
        void announce();
      }
    },

    'buckets:list': async ({ id }) => {
      listings.get(id)?.abort();
      const listing = new AbortController();
      listings.set(id, listing);
      let profileId = id;
      try {
        const profile = await prepared(id);
        profileId = profile.id;
        if (profile.status === 'signed-out') {
          throw new AppError('NOT_SIGNED_IN', `Profile "${profile.name}" is not signed in.`);
        }
        // The site refused its refresh token: say so (not "not signed in"), and list nothing from a cache.
        if (profile.status === 'needs-attention' && !profile.role) {
          throw new AppError('INVALID_GRANT', `The site no longer accepts the sign-in of profile "${profile.name}". Sign in again.`);
        }
        const result = await listProfileBuckets({ sts, fetch: services.fetch, ...(deps.clock ? { clock: deps.clock } : {}) }, profile, {
          signal: listing.signal,
          onPage: (page) => events.emit('buckets-progress', { profileId: profile.id, ...page }),
        });
        return { profileId: profile.id, endpoint: result.endpoint, owner: result.owner, buckets: result.buckets };
      } catch (error) {
        // Credentials held from before the refusal (and those of roles assumed with them) go too.
        if (isAppError(error, 'INVALID_GRANT')) sts.forget(profileId);
        throw error;
      } finally {
        if (listings.get(id) === listing) listings.delete(id);
        // A refresh on the way may have renewed or ended the sign-in.
        void announce();
      }
    },

    'app:copy-text': async ({ text }) => {
      if (!deps.copyText) return { copied: false };
      await deps.copyText(text);
      return { copied: true };
    },

    'app:info': async () => ({
      version: deps.info?.version ?? '0.0.0',
      platform: deps.info?.platform ?? 'unknown',
      demo: { logins: defaultUsers().map((user) => user.login), password: DEMO_PASSWORD },
    }),
  };

  return {
    handlers: createHandlerTable({ ...impl, ...(deps.hosted ?? hostedChannels(undefined)), ...(deps.hub ?? hubUnavailable()) }),
    events,
    deliverDeepLink: (url) => signins.deliverDeepLink(url),
    snapshot,
    stsValidFor: (profileId) => sts.validFor(profileId),
    async close() {
      signins.cancelAll();
      for (const listing of listings.values()) listing.abort();
      await deps.demo?.close();
    },
  };
}

function revocationResult(revocation: Revocation): Omit<SignOutResult, 'profile'> {
  return {
    revocation: revocation.outcome,
    ...(revocation.outcome === 'failed' ? { error: { code: asErrorCode(revocation.code), message: revocation.message } } : {}),
  };
}
