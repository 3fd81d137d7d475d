import type { Profile } from '../profiles/schema.js';
import { loadCliConfig, renderCliConfig, saveCliConfig, type CliConfig } from './config-file.js';
import { dropWrittenBack, linkProfile, mapProfiles, type LinkTarget } from './edit.js';
import type { FoundLink } from './status.js';

export interface RepairOptions {
  /** The aliyun CLI's config.json (a symbolic link is written through). */
  file: string;
  /** What `inspectLinks` found. */
  links: readonly FoundLink[];
  /** How a profile reaches us now (installs a wrapper when the command needs one). */
  target: (profile: Profile, kind: FoundLink['kind']) => Promise<LinkTarget>;
}

export interface RepairResult {
  /** CLI profiles relinked or cleaned. */
  fixed: string[];
  backup: string | undefined;
}

/**
 * `cli-config status --fix`: every linked profile that is not intact, and whose profile we still
 * have, is linked again as `link` would; every linked profile loses the STS keys an SDK wrote
 * back. One atomic write after a backup; the backup keeps the old file without those keys
 * (temporary credentials in plaintext have no place in a backup either). Profiles not linked to
 * us are not touched, nor are any other keys.
 */
export async function repairLinks(options: RepairOptions): Promise<RepairResult> {
  const broken = options.links.filter((l) => !l.intact);
  const targets = new Map<string, [Profile, LinkTarget]>();
  for (const link of broken) {
    if (link.profile) targets.set(link.name, [link.profile, await options.target(link.profile, link.kind)]);
  }
  const cleaned = new Set(options.links.filter((l) => l.writtenBackKeys).map((l) => l.name));
  for (let attempt = 0; ; attempt += 1) {
    const loaded = await loadCliConfig(options.file);
    const present = new Set(loaded.config.profiles.map((p) => p.name));
    const strip = new Set([...cleaned].filter((n) => present.has(n)));
    let next: CliConfig = mapProfiles(loaded.config, strip, dropWrittenBack);
    for (const [name, [profile, target]] of targets) {
      if (present.has(name)) next = linkProfile(next, { cliProfile: name, target, region: profile.region }).config;
    }
    const fixed = broken.map((l) => l.name).filter((n) => present.has(n) && (targets.has(n) || strip.has(n)));
    const rendered = renderCliConfig(next, loaded.text);
    // Nothing to write when only a wrapper was missing (`target` put it back).
    if (rendered === loaded.text || loaded.text === undefined) return { fixed, backup: undefined };
    const backupText = renderCliConfig(mapProfiles(loaded.config, strip, dropWrittenBack), loaded.text);
    try {
      return { fixed, backup: await saveCliConfig(loaded, rendered, backupText) };
    } catch (error) {
      if (attempt >= 2 || (error as { code?: unknown }).code !== 'STORE_LOCKED') throw error;
    }
  }
}
