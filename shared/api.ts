/**
 * The domain verbs the window gets, built from the contract over a transport. The preload gives
 * it Electron's IPC; the end-to-end bridge can give it a socket. The transport itself is never
 * exposed: the page sees `signIn(id)`, not `invoke(channel)`.
 */
import type {
  Channel,
  EventName,
  Events,
  ProfileChanges,
  ProfileDraft,
  RequestOf,
  ResultOf,
  RoleDraft,
} from './contract.js';

export interface Transport {
  invoke(channel: Channel, request: unknown): Promise<unknown>;
  /** Calls `listener` with each payload of `event`; returns the unsubscribe. */
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

export function createApi(transport: Transport) {
  const call = <C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResultOf<C>> =>
    transport.invoke(channel, request) as Promise<ResultOf<C>>;
  const on =
    <E extends EventName>(event: E) =>
    (listener: (payload: Events[E]) => void): (() => void) =>
      transport.subscribe(event, (payload) => listener(payload as Events[E]));

  return {
    listProfiles: () => call('profiles:list', {}),
    addProfile: (draft: ProfileDraft) => call('profiles:add', draft),
    addRoleProfile: (draft: RoleDraft) => call('profiles:add-role', draft),
    updateProfile: (id: string, changes: ProfileChanges) => call('profiles:update', { id, changes }),
    removeProfile: (id: string) => call('profiles:remove', { id }),
    activateProfile: (id: string) => call('profiles:activate', { id }),
    signIn: (id: string) => call('auth:sign-in', { id }),
    cancelSignIn: (id: string) => call('auth:cancel-sign-in', { id }),
    openSignInPage: (id: string) => call('auth:open-browser', { id }),
    signOut: (id: string) => call('auth:sign-out', { id }),
    listBuckets: (id: string) => call('buckets:list', { id }),
    copyText: (text: string) => call('app:copy-text', { text }),
    appInfo: () => call('app:info', {}),
    brokerStatus: () => call('broker:status', {}),
    appSettings: () => call('app:settings', {}),
    setStartAtLogin: (on: boolean) => call('app:set-settings', { startAtLogin: on }),
    // The hub (issue 10 item 3): what the CLI does, in the window.
    brokerProfile: (id: string) => call('broker:profile', { id }),
    setBrokerEnabled: (id: string, on: boolean) => call('broker:switch', { id, on }),
    revealBrokerUrl: (id: string) => call('broker:reveal-url', { id }),
    copyBrokerUrl: (id: string) => call('broker:copy-url', { id }),
    rotateBrokerUrl: (id: string) => call('broker:rotate', { id }),
    previewCliLink: (request: RequestOf<'cli:link'>) => call('cli:preview-link', request),
    linkCli: (request: RequestOf<'cli:link'>) => call('cli:link', request),
    cliStatus: () => call('cli:status', {}),
    fixCliLinks: () => call('cli:fix', {}),
    previewCliImport: (like?: string) => call('cli:preview-import', like === undefined ? {} : { like }),
    importFromCli: (request: RequestOf<'cli:import'>) => call('cli:import', request),
    openConsole: (id: string, destination?: string) =>
      call('console:open', destination === undefined ? { id } : { id, destination }),
    auditLog: (limit?: number) => call('audit:list', limit === undefined ? {} : { limit }),
    expiryOverview: (language: 'en' | 'zh-CN') => call('expiry:overview', { language }),
    onProfilesChanged: on('profiles-changed'),
    onSignInProgress: on('sign-in-progress'),
    onBucketsProgress: on('buckets-progress'),
    onBrokerChanged: on('broker-changed'),
    onAuditChanged: on('audit-changed'),
  };
}

/** What `window.alicloud` holds; derived from the object itself so it cannot drift. */
export type DesktopApi = ReturnType<typeof createApi>;

/** The IPC channel an event travels on (kept apart from request channels). */
export function eventChannel(name: EventName): `event:${EventName}` {
  return `event:${name}`;
}

/** The global name the preload exposes the verbs under. */
export const API_KEY = 'alicloud';
