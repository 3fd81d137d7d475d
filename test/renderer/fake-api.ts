import { createApi, type DesktopApi } from '../../shared/api';
import type {
  BrokerStatusView,
  BucketView,
  Channel,
  EventName,
  Events,
  ProfilesSnapshot,
  ProfileView,
  Result,
  WireError,
} from '../../shared/contract';

/** A deferred answer the test settles when it wants to. */
export interface Pending<T> {
  resolve(value: Result<T>): void;
}

/**
 * An in-memory app behind the real createApi(): the window under test talks to it exactly as it
 * talks to the preload, and the test drives the events.
 */
export class FakeApp {
  profiles: ProfileView[] = [];
  activeProfileId: string | null = null;
  clockOffsetMs = 0;
  buckets = new Map<string, BucketView[] | WireError>();
  /** When set, listBuckets waits for the test. */
  holdBuckets = false;
  calls: Array<{ channel: Channel; request: unknown }> = [];
  pendingSignIn: Pending<ProfileView> | undefined;
  pendingBuckets: Pending<unknown> | undefined;
  failNext: Partial<Record<Channel, WireError>> = {};
  broker: BrokerStatusView = { state: 'serving', pid: 4242, port: 7878, startedAt: '2026-01-01T00:00:00.000Z' };
  startAtLogin = false;
  startAtLoginSupported = true;
  readonly #listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  readonly api: DesktopApi = createApi({
    invoke: (channel, request) => this.#invoke(channel, request),
    subscribe: (event, listener) => {
      let set = this.#listeners.get(event);
      if (!set) this.#listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  });

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of this.#listeners.get(event) ?? []) listener(payload);
  }

  snapshot(): ProfilesSnapshot {
    return {
      activeProfileId: this.activeProfileId,
      profiles: this.profiles.map((p) => ({ ...p, active: p.id === this.activeProfileId })),
      clockOffsetMs: this.clockOffsetMs,
    };
  }

  announce(): void {
    this.emit('profiles-changed', this.snapshot());
  }

  callsTo(channel: Channel): unknown[] {
    return this.calls.filter((call) => call.channel === channel).map((call) => call.request);
  }

  async #invoke(channel: Channel, request: unknown): Promise<Result<unknown>> {
    this.calls.push({ channel, request });
    const failure = this.failNext[channel];
    if (failure) {
      delete this.failNext[channel];
      return { ok: false, error: failure };
    }
    const id = (request as { id?: string }).id ?? '';
    switch (channel) {
      case 'profiles:list':
        return { ok: true, value: this.snapshot() };
      case 'profiles:add': {
        const draft = request as { name: string; preset: string; region?: string };
        const profile = makeProfile({
          id: `id-${draft.name}`,
          name: draft.name,
          demo: draft.preset === 'demo',
          region: draft.region ?? 'cn-hangzhou',
        });
        this.profiles.push(profile);
        this.activeProfileId ??= profile.id;
        this.announce();
        return { ok: true, value: profile };
      }
      case 'profiles:update': {
        const { changes } = request as { changes: Partial<ProfileView> };
        this.profiles = this.profiles.map((p) => (p.id === id ? { ...p, ...changes } : p));
        this.announce();
        return { ok: true, value: this.profiles.find((p) => p.id === id) };
      }
      case 'profiles:remove':
        this.profiles = this.profiles.filter((p) => p.id !== id);
        if (this.activeProfileId === id) this.activeProfileId = this.profiles[0]?.id ?? null;
        this.announce();
        return { ok: true, value: { profile: null, revocation: 'revoked' } };
      case 'profiles:activate':
        this.activeProfileId = id;
        this.announce();
        return { ok: true, value: this.snapshot() };
      case 'auth:sign-in':
        return new Promise(
          (resolve) => (this.pendingSignIn = { resolve: resolve as (value: Result<ProfileView>) => void }),
        );
      case 'auth:sign-out':
        this.profiles = this.profiles.map((p) =>
          p.id === id ? { ...p, status: 'signed-out', identity: undefined } : p,
        );
        this.announce();
        return { ok: true, value: { profile: this.profiles.find((p) => p.id === id) ?? null, revocation: 'revoked' } };
      case 'buckets:list': {
        if (this.holdBuckets) return new Promise((resolve) => (this.pendingBuckets = { resolve }));
        const found = this.buckets.get(id) ?? [];
        if (!Array.isArray(found)) return { ok: false, error: found };
        return {
          ok: true,
          value: { profileId: id, endpoint: 'https://oss', owner: { id: '1', displayName: '' }, buckets: found },
        };
      }
      case 'auth:cancel-sign-in':
        return { ok: true, value: { cancelled: true } };
      case 'auth:open-browser':
        return { ok: true, value: { opened: true } };
      case 'app:copy-text':
        return { ok: true, value: { copied: true } };
      case 'app:info':
        return {
          ok: true,
          value: {
            version: '0.1.0',
            platform: 'linux',
            demo: { logins: ['alice', 'root', 'role'], password: 'demo-password' },
          },
        };
      case 'broker:status':
        return { ok: true, value: this.broker };
      case 'app:settings':
        return {
          ok: true,
          value: { startAtLogin: this.startAtLogin, startAtLoginSupported: this.startAtLoginSupported },
        };
      case 'app:set-settings':
        this.startAtLogin = (request as { startAtLogin: boolean }).startAtLogin;
        return { ok: true, value: { startAtLogin: this.startAtLogin, startAtLoginSupported: true } };
      default:
        return this.other(channel, request);
    }
  }

  /** The channels this fake does not answer itself (the hub's: test/renderer/hub-fake.ts answers those). */
  protected async other(channel: Channel, _request: unknown): Promise<Result<unknown>> {
    return { ok: false, error: { code: 'INTERNAL', message: `FakeApp does not answer ${channel}.` } };
  }
}

export function makeProfile(over: Partial<ProfileView> & { id: string; name: string }): ProfileView {
  return {
    site: 'cn',
    demo: false,
    active: false,
    region: 'cn-hangzhou',
    ossEndpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
    ossEndpointCustom: false,
    clientId: '4038181954557748008',
    officialClient: true,
    redirect: 'loopback',
    ports: '12345-12349',
    authorizationEndpoint: 'https://signin.aliyun.com/oauth2/v1/auth',
    status: 'signed-out',
    ...over,
  };
}

export function signedIn(over: Partial<ProfileView> & { id: string; name: string }, now = Date.now()): ProfileView {
  return makeProfile({
    status: 'signed-in',
    identity: { sub: 's', aid: '1098765432109876', type: 'user', upn: `alice@1098765432109876.onaliyun.com` },
    accessTokenExpiresAt: new Date(now + 42 * 60_000).toISOString(),
    refreshTokenExpiresAt: new Date(now + 29 * 86_400_000).toISOString(),
    ...over,
  });
}

export function makeBuckets(count: number): BucketView[] {
  const regions = ['cn-hangzhou', 'cn-shanghai', 'ap-southeast-1'];
  const classes = ['Standard', 'IA', 'Archive'];
  return Array.from({ length: count }, (_, i) => {
    const region = regions[i % regions.length]!;
    return {
      name: `bucket-${String(i).padStart(5, '0')}`,
      region,
      location: `oss-${region}`,
      creationDate: new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString(),
      storageClass: classes[i % classes.length]!,
      extranetEndpoint: `oss-${region}.aliyuncs.com`,
      intranetEndpoint: `oss-${region}-internal.aliyuncs.com`,
    };
  });
}
