/*
 * The hub's channels (issue 10 item 3): the broker per profile, the aliyun CLI (link with its
 * preview, status and repair, import), the console, the audit log and the expiry overview. Thin
 * adapters: each parses nothing (the table did), calls a use-case of main/services/app/ or a
 * service, and turns the result into what the window may see (hub-views.ts: no secret).
 */
import { auditEntries } from '../services/app/audit.js';
import { brokerUrl, rotateBrokerUrl, setBrokerEnabled } from '../services/app/broker-access.js';
import { importFromCli, previewCliImport } from '../services/app/cli-import.js';
import { linkToCli, previewCliLink, type CliLinkDeps } from '../services/app/cli-link.js';
import { cliLinkStatus } from '../services/app/cli-status.js';
import { openConsole } from '../services/app/console.js';
import type { BrowserOpener } from '../services/auth/opener.js';
import { brokerPort } from '../services/broker/settings.js';
import { credentialsUri } from '../services/broker/uri-request.js';
import { uriSecretAccount } from '../services/broker/uri-secrets.js';
import { cliConfigPath } from '../services/cli-config/config-file.js';
import type { Services } from '../services/context.js';
import { AppError } from '../services/core/errors.js';
import type { Profile } from '../services/profiles/schema.js';
import type { StsService } from '../services/sts/sts-service.js';
import { hubRequests, type CliStatusView, type HubResponses, type ProfilesSnapshot } from '../../shared/contract.js';
import {
  brokerProfileView,
  changeView,
  expiryOverview,
  importDoneView,
  importPreviewView,
  linkView,
  maskCredentialsUri,
  newestFirst,
} from './hub-views.js';
import { dueNotices } from './notices.js';
import type { Implementation } from './table.js';

export type HubChannels = keyof HubResponses;
export type HubImplementation = Pick<Implementation, HubChannels>;
const HUB_CHANNELS = Object.keys(hubRequests) as HubChannels[];

/** Audit lines read for a profile's "last used" (the log holds about 20,000 at most). */
const AUDIT_FOR_PROFILE = 20_000;
/** The audit view's default. */
const AUDIT_DEFAULT = 10_000;

export interface HubDeps {
  services: Pick<Services, 'dataDir' | 'store' | 'secrets' | 'tokens' | 'fetch'>;
  sts: Pick<StsService, 'credentials' | 'validFor'>;
  env?: NodeJS.ProcessEnv;
  /** What starts this install's CLI: External-mode commands run its `credentials NAME` (default: `alicloud-signin` on PATH). */
  cliArgv?: string[];
  /** The aliyun CLI's config.json (default: $ALICLOUD_SIGNIN_ALIYUN_CONFIG, else ~/.aliyun/config.json). */
  cliConfigPath?: string;
  /** Opens the console's private page (a file:// URL) in the person's browser; never the sign-in opener. */
  openPage: BrowserOpener;
  copyText?: (text: string) => void | Promise<void>;
  snapshot: () => Promise<ProfilesSnapshot>;
  /** Profiles were added (an import): tell the window now rather than at the watcher's next look. */
  onProfilesChanged?: () => void;
  now?: () => number;
}

export interface Hub {
  channels: HubImplementation;
  /** Ends the waits of console pages still open (each page is deleted at once). */
  close(): void;
}

export function createHub(deps: HubDeps): Hub {
  const { services } = deps;
  const env = deps.env ?? process.env;
  const now = deps.now ?? Date.now;
  const file = () => deps.cliConfigPath ?? cliConfigPath(undefined, env);
  const access = { dataDir: services.dataDir, store: services.store, secrets: services.secrets, env };
  const link: CliLinkDeps = {
    dataDir: services.dataDir,
    secrets: services.secrets,
    env,
    self: { argv: deps.cliArgv ?? ['alicloud-signin'], env },
  };
  const pages = new Set<AbortController>();

  async function brokerView(profile: Profile) {
    const secret = await services.secrets.get(uriSecretAccount(profile.id));
    const masked = secret
      ? maskCredentialsUri(credentialsUri(await brokerPort(services.dataDir, env), profile.id, secret))
      : null;
    const midnight = new Date(now()).setHours(0, 0, 0, 0);
    return brokerProfileView(profile, masked, await auditEntries(services, AUDIT_FOR_PROFILE), midnight);
  }

  const status = async (fix: boolean): Promise<CliStatusView> => {
    const result = await cliLinkStatus({ ...link, store: services.store }, { file: file(), fix });
    return {
      configPath: result.file,
      links: result.links.map(linkView),
      ...(fix ? { fixed: result.repair?.fixed ?? [], backup: result.repair?.backup ?? null } : {}),
    };
  };

  const channels: HubImplementation = {
    'broker:profile': async ({ id }) => brokerView(await services.store.resolve(id)),

    'broker:switch': async ({ id, on }) => brokerView(await setBrokerEnabled(access, id, on)),

    'broker:reveal-url': async ({ id }) => ({ url: (await brokerUrl(access, id)).url }),

    'broker:copy-url': async ({ id }) => {
      if (!deps.copyText) return { copied: false };
      await deps.copyText((await brokerUrl(access, id)).url);
      return { copied: true };
    },

    'broker:rotate': async ({ id }) => {
      const { profile, relinked } = await rotateBrokerUrl(access, id, file());
      return { profile: await brokerView(profile), relinked };
    },

    'cli:preview-link': async ({ id, mode, cliProfile }) => {
      const profile = await services.store.resolve(id);
      const preview = await previewCliLink(link, {
        profile,
        mode,
        file: file(),
        ...(cliProfile ? { cliProfile } : {}),
      });
      return {
        configPath: preview.file,
        cliProfile: preview.cliProfile,
        created: preview.created,
        previousMode: preview.previousMode ?? null,
        changes: preview.changes.map(changeView),
        newSecret: preview.newSecret ?? false,
        programMissing: preview.programMissing ?? null,
      };
    },

    'cli:link': async ({ id, mode, cliProfile }) => {
      const profile = await services.store.resolve(id);
      const done = await linkToCli(link, { profile, mode, file: file(), ...(cliProfile ? { cliProfile } : {}) });
      return {
        configPath: done.file,
        cliProfile: done.cliProfile,
        changed: done.changed,
        backup: done.backup ?? null,
        previousMode: done.previousMode ?? null,
        wrapper: done.wrapper ? { file: done.wrapper.file, warning: done.wrapper.warning ?? null } : null,
        programMissing: done.programMissing ?? null,
      };
    },

    'cli:status': () => status(false),
    'cli:fix': () => status(true),

    'cli:preview-import': async ({ like }) => {
      const preview = await previewCliImport(
        { store: services.store, dataDir: services.dataDir },
        { file: file(), ...(like ? { like: await services.store.resolve(like) } : {}) },
      );
      return importPreviewView(preview.file, preview.items);
    },

    'cli:import': async ({ keepCliTokens, mode, like }) => {
      try {
        const result = await importFromCli(
          { ...link, store: services.store, tokens: services.tokens },
          {
            file: file(),
            keepCliTokens,
            ...(mode ? { mode } : {}),
            ...(like ? { like: await services.store.resolve(like) } : {}),
          },
        );
        return importDoneView(result);
      } finally {
        deps.onProfilesChanged?.();
      }
    },

    'console:open': async ({ id, destination }) => {
      const profile = await services.store.resolve(id);
      const stop = new AbortController();
      pages.add(stop);
      // Answered once the browser was started; the page is deleted after it was read (or 30 s).
      let opened!: () => void;
      const started = new Promise<void>((resolve) => (opened = resolve));
      const run = openConsole(
        {
          dataDir: services.dataDir,
          fetch: services.fetch,
          env,
          credentials: (p) => deps.sts.credentials(p.id),
          open: deps.openPage,
        },
        { profile, ...(destination ? { destination } : {}), signal: stop.signal, onOpened: opened },
      ).finally(() => pages.delete(stop));
      await Promise.race([started, run]);
      void run.catch(() => undefined);
      return { opened: true };
    },

    'audit:list': async ({ limit }) => ({
      entries: newestFirst(await auditEntries(services, limit ?? AUDIT_DEFAULT)),
    }),

    'expiry:overview': async ({ language }) => {
      const snapshot = await deps.snapshot();
      const at = now();
      const validFor = (profileId: string) => deps.sts.validFor(profileId);
      return expiryOverview(snapshot, at, validFor, dueNotices(snapshot, at, validFor, new Set(), language));
    },
  };

  return {
    channels,
    close() {
      for (const page of pages) page.abort();
    },
  };
}

/** For a handler table built without the hub (unit tests of the other channels): each channel says so. */
export function hubUnavailable(): HubImplementation {
  const refuse = async (): Promise<never> => {
    throw new AppError('INTERNAL', 'This part of the app is not available here.');
  };
  return Object.fromEntries(HUB_CHANNELS.map((channel) => [channel, refuse])) as unknown as HubImplementation;
}
