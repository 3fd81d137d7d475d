import { DEMO_PASSWORD, defaultUsers } from '../demo/provider/users.js';
import { BucketListings } from '../services/app/buckets.js';
import { followDemoSite, isDemoProfile } from '../services/app/demo-profile.js';
import { patchFromChanges } from '../services/app/profile-input.js';
import {
  addProfile,
  addRoleProfile,
  changesSite,
  editProfile,
  removeProfile,
  useProfile,
} from '../services/app/profiles.js';
import { signInProfile, signOutProfile } from '../services/app/session.js';
import type { Revocation } from '../services/auth/signout.js';
import type { Services } from '../services/context.js';
import { AppError } from '../services/core/errors.js';
import type { Profile } from '../services/profiles/schema.js';
import type { ProfileBucketsDeps } from '../services/sts/profile-buckets.js';
import type { StsService } from '../services/sts/sts-service.js';
import type { ProfilesSnapshot, ProfileView, SignInPhase, SignOutResult } from '../../shared/contract.js';
import { hostedChannels, type HostedChannels, type HostedImplementation } from './broker-host.js';
import { hubUnavailable, type HubChannels, type HubImplementation } from './hub-handlers.js';
import type { DemoLauncher } from './demo-site.js';
import { inputFromDraft, roleRequestFromDraft } from './drafts.js';
import { EventHub } from './events.js';
import { guardedOpener } from './open-guard.js';
import { toWireError } from './result.js';
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
  const listings = new BucketListings({
    store,
    sts,
    fetch: services.fetch,
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  const lifecycle = { ...services, sts };

  const snapshot = async () => toSnapshot(await store.read(), deps.clock?.offsetMs() ?? 0);
  const view = async (profile: Profile): Promise<ProfileView> =>
    toProfileView(profile, (await store.read()).activeProfileId);
  const announce = async () => {
    try {
      events.emit('profiles-changed', await snapshot());
    } catch {
      // The next successful read announces the state; a failing store is reported by the call itself.
    }
  };

  /** The profile, and for a demo profile the demo site running with it at this run's ports. */
  async function withDemoSite(id: string): Promise<Profile> {
    const profile = await store.resolve(id);
    if (!isDemoProfile(profile) || !deps.demo) return profile;
    return followDemoSite(store, profile, await deps.demo.ensure());
  }

  /** Nothing in flight for this profile may finish after it was signed out. */
  function stopWork(id: string): void {
    signins.cancel(id);
    listings.stop(id);
  }

  const impl: Omit<Implementation, HostedChannels | HubChannels> = {
    'profiles:list': () => snapshot(),

    'profiles:add': async (draft) => {
      let demoSite;
      if (draft.preset === 'demo') {
        if (!deps.demo) throw new AppError('INVALID_INPUT', 'The demo site is not available in this build.');
        demoSite = await deps.demo.ensure();
      }
      const profile = await addProfile(services, inputFromDraft(draft, demoSite));
      void announce();
      return view(profile);
    },

    'profiles:add-role': async (draft) => {
      // A demo source first follows this run of the demo site (which starts it, with its STS).
      const source = await withDemoSite(draft.from);
      const demoSts = isDemoProfile(source) ? deps.demo?.running()?.stsEndpoint : undefined;
      const { profile, unchecked } = await addRoleProfile(lifecycle, roleRequestFromDraft(draft, source, demoSts));
      const current = await snapshot();
      events.emit('profiles-changed', current);
      const added = current.profiles.find((p) => p.id === profile.id);
      if (!added) throw new AppError('PROFILE_NOT_FOUND', `Profile "${profile.name}" was removed meanwhile.`);
      return { profile: added, ...(unchecked ? { unchecked: toWireError(unchecked) } : {}) };
    },

    'profiles:update': async ({ id, changes }) => {
      const profile = await store.resolve(id);
      // Another site or client id: signed out at the old site before the new endpoints are saved.
      if (changesSite(profile, patchFromChanges(profile, changes))) stopWork(profile.id);
      const { profile: updated } = await editProfile(lifecycle, profile.id, (current) =>
        patchFromChanges(current, changes),
      );
      void announce();
      return view(updated);
    },

    'profiles:remove': async ({ id }) => {
      // The same removal as the CLI's: signed out first, broker secret deleted too.
      const profile = await store.resolve(id);
      stopWork(profile.id);
      try {
        const { revocation } = await removeProfile(lifecycle, profile.id);
        return { profile: null, ...revocationResult(revocation) };
      } finally {
        void announce();
      }
    },

    'profiles:activate': async ({ id }) => {
      await useProfile(services, id);
      const current = await snapshot();
      events.emit('profiles-changed', current);
      return current;
    },

    'auth:sign-in': async ({ id }) => {
      const profile = await withDemoSite(id);
      const session = signins.begin(profile.id);
      const progress = (phase: SignInPhase) => events.emit('sign-in-progress', { profileId: profile.id, phase });
      try {
        const signedIn = await signInProfile(
          { ...lifecycle, openBrowser: guardedOpener(services.openBrowser, profile) },
          profile.id,
          {
            signal: session.abort.signal,
            deepLink: session.deepLink,
            ...(deps.signInTimeoutMs !== undefined ? { timeoutMs: deps.signInTimeoutMs } : {}),
            onProgress: (step) => {
              if (step.kind === 'waiting') session.waiting(step.url);
              // Stray callbacks and notices are the CLI's lines; the window shows the outcome.
              if (step.kind === 'waiting' || step.kind === 'exchanging') progress(step);
            },
          },
        );
        const result = await view(signedIn);
        progress({ kind: 'finished', profile: result });
        return result;
      } catch (error) {
        // However the cancel surfaced on its way up, a cancelled sign-in says so.
        const failure = session.abort.signal.aborted
          ? new AppError('SIGNIN_CANCELLED', 'The sign-in was cancelled.')
          : error;
        progress({ kind: 'failed', error: toWireError(failure) });
        throw failure;
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
        stopWork(id);
        const { profile, revocation } = await signOutProfile(lifecycle, id);
        return { profile: await view(profile), ...revocationResult(revocation) };
      } finally {
        void announce();
      }
    },

    'buckets:list': async ({ id }) => {
      let profileId = id;
      try {
        const result = await listings.list(id, {
          prepare: async (ref) => {
            const profile = await withDemoSite(ref);
            profileId = profile.id;
            return profile;
          },
          onPage: (page) => events.emit('buckets-progress', { profileId, ...page }),
        });
        return {
          profileId: result.profile.id,
          endpoint: result.endpoint,
          owner: result.owner,
          buckets: result.buckets,
        };
      } finally {
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
    handlers: createHandlerTable({
      ...impl,
      ...(deps.hosted ?? hostedChannels(undefined)),
      ...(deps.hub ?? hubUnavailable()),
    }),
    events,
    deliverDeepLink: (url) => signins.deliverDeepLink(url),
    snapshot,
    stsValidFor: (profileId) => sts.validFor(profileId),
    async close() {
      signins.cancelAll();
      listings.stopAll();
      await deps.demo?.close();
    },
  };
}

function revocationResult(revocation: Revocation): Omit<SignOutResult, 'profile'> {
  return {
    revocation: revocation.outcome,
    ...(revocation.outcome === 'failed' ? { error: { code: revocation.code, message: revocation.message } } : {}),
  };
}
