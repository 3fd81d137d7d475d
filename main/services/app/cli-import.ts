/*
 * `cli-config import` as one use-case: the aliyun CLI's OAuth profiles move into the keychain,
 * each verified with a refresh, and (by default) the CLI's copies are scrubbed and linked to us.
 * Its dry run lists what would happen to each first. The CLI and the window's import call these.
 */
import { importCliProfiles, previewImport, type ImportResult, type ImportPreviewItem } from '../cli-config/import.js';
import type { Profile } from '../profiles/schema.js';
import type { ProfileStore } from '../store/profile-store.js';
import type { TokenService } from '../tokens/token-service.js';
import { linkTarget, type CliLinkDeps, type CliLinkMode, type WrapperNote } from './cli-link.js';

export interface CliImportDeps extends CliLinkDeps {
  store: Pick<ProfileStore, 'add' | 'remove' | 'read'>;
  tokens: Pick<TokenService, 'refresh' | 'forget'>;
}

export interface CliImportRequest {
  /** The aliyun CLI's config.json. */
  file: string;
  /** Leave the CLI's (now stale) tokens in the file; off by default. */
  keepCliTokens?: boolean;
  /** How scrubbed CLI profiles reach us (default External). */
  mode?: CliLinkMode;
  /** Site, client and endpoints from this profile instead of `oauth_site_type`. */
  like?: Profile;
}

export async function importFromCli(
  deps: CliImportDeps,
  request: CliImportRequest,
): Promise<ImportResult & { wrappers: WrapperNote[] }> {
  const wrappers: WrapperNote[] = [];
  const result = await importCliProfiles(deps, {
    file: request.file,
    scrub: !request.keepCliTokens,
    linkTarget: async (profile) => {
      const { target, wrapper } = await linkTarget(deps, profile, request.mode ?? 'external');
      if (wrapper && !wrappers.some((w) => w.file === wrapper.file)) wrappers.push(wrapper);
      return target;
    },
    ...(request.like ? { like: request.like } : {}),
  });
  return { ...result, wrappers };
}

/** What `importFromCli` would do with each OAuth profile of the file; nothing is written and no token is sent. */
export function previewCliImport(
  deps: Pick<CliImportDeps, 'store' | 'dataDir'>,
  request: Pick<CliImportRequest, 'file' | 'like'>,
): Promise<{ file: string; items: ImportPreviewItem[] }> {
  return previewImport(deps, { file: request.file, ...(request.like ? { like: request.like } : {}) });
}
