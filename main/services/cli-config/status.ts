import type { CliLinkProblem } from '../../../shared/contract-hub.js';
import { PROFILE_ID } from '../../../shared/fields.js';
import { URI_PATH_PREFIX } from '../broker/uri-request.js';
import type { Profile } from '../profiles/schema.js';
import type { CliConfig, CliProfile, Json } from './config-file.js';
import { hasWrittenBackKeys } from './edit.js';
import type { LinkedEntry } from './linked.js';
import { splitShellStyle } from './split.js';
import type { WrapperState } from './wrapper.js';

/** What `cli-config status` says about one CLI profile that gets credentials from us (README documents it). */
export interface CliLinkStatus {
  /** The CLI profile's name. */
  name: string;
  /** Our profile it gets credentials from; null when that profile no longer exists. */
  linkedTo: string | null;
  /** The CLI profile's `mode` as found. */
  mode: string | null;
  intact: boolean;
  /** Stable words, in the order checked; empty when intact. */
  problems: LinkProblem[];
  /** An SDK wrote STS keys back into it in plaintext. */
  writtenBackKeys: boolean;
}

export type LinkProblem = CliLinkProblem;

type LinkKind = 'external' | 'uri';

/** A status with what a repair needs. */
export interface FoundLink extends CliLinkStatus {
  kind: LinkKind;
  profile: Profile | undefined;
}

/** What `link` would write now, and what we remember linking: the yardstick a profile is held to. */
export interface Expectations {
  profiles: readonly Profile[];
  /** Our records for this file: finds a profile whose field an SDK dropped. */
  ledger: Readonly<Record<string, LinkedEntry>>;
  /** The External command for a profile, and the state of its wrapper when it runs one. */
  external(profile: Profile): Promise<{ command: string; wrapper?: WrapperState }>;
  /** The profile's credentials URI on this broker's port; undefined when it has no secret yet. */
  uri(profile: Profile): Promise<string | undefined>;
}

const MODE_OF: Record<LinkKind, string> = { external: 'External', uri: 'CredentialsURI' };

function text(value: Json | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** NAME when the command ends in `credentials NAME`, and whether a program word is named alicloud-signin*. */
function credentialsCommand(command: string | undefined): { name: string; named: boolean } | undefined {
  const words = command === undefined ? undefined : splitShellStyle(command);
  if (!words || words.length < 3 || words[words.length - 2] !== 'credentials') return undefined;
  const named = words.slice(0, -2).some((w) => /^alicloud-signin(?:[-.]|$)/i.test(w.split(/[\\/]/).pop() ?? ''));
  return { name: words[words.length - 1] as string, named };
}

/** Our profile name if the command runs an alicloud-signin's `credentials NAME` (directly, through env, or a wrapper). */
export function ourCommandProfile(command: string | undefined): string | undefined {
  const found = credentialsCommand(command);
  return found?.named ? found.name : undefined;
}

/** The profile id in a URL of our broker (any port: a moved port is drift, not someone else's). */
function ourUriProfileId(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost'].includes(url.hostname)) return undefined;
  if (!url.pathname.startsWith(URI_PATH_PREFIX)) return undefined;
  const [id, secret, ...rest] = url.pathname.slice(URI_PATH_PREFIX.length).split('/');
  return id && secret !== undefined && rest.length === 0 && PROFILE_ID.test(id) ? id : undefined;
}

function byNameOrId(profiles: readonly Profile[], key: string): Profile | undefined {
  return (
    profiles.find((p) => p.name === key) ??
    profiles.find((p) => p.id === key) ??
    profiles.find((p) => p.name.toLowerCase() === key.toLowerCase())
  );
}

/**
 * Which profile of ours a CLI profile gets credentials from, if any. Only External and
 * CredentialsURI profiles count (in any case: the mode's spelling is checked later), and only
 * when their field names us, or is gone and our records say the profile was ours. A profile the
 * person pointed elsewhere, or switched to another mode, is theirs and never touched.
 */
async function linkOf(
  p: CliProfile,
  expect: Expectations,
): Promise<{ kind: LinkKind; profile: Profile | undefined } | undefined> {
  const mode = typeof p.mode === 'string' ? p.mode.toLowerCase() : '';
  const recorded = expect.ledger[p.name];
  if (mode === 'external') {
    const command = text(p.process_command);
    const found = credentialsCommand(command);
    const profile = found ? byNameOrId(expect.profiles, found.name) : undefined;
    // Ours by its program's name, by being exactly what we write, or by our record of linking it.
    if (
      found &&
      (found.named ||
        (profile && command === (await expect.external(profile)).command) ||
        recorded?.mode === 'external')
    )
      return { kind: 'external', profile };
    if (command === undefined && recorded?.mode === 'external')
      return { kind: 'external', profile: expect.profiles.find((q) => q.id === recorded.profileId) };
  } else if (mode === 'credentialsuri') {
    const uri = text(p.credentials_uri);
    const id = ourUriProfileId(uri);
    if (id) return { kind: 'uri', profile: expect.profiles.find((q) => q.id === id) };
    if (uri === undefined && recorded?.mode === 'uri')
      return { kind: 'uri', profile: expect.profiles.find((q) => q.id === recorded.profileId) };
  }
  return undefined;
}

/** Every CLI profile linked to us, in file order, with what is wrong with each. Reads nothing but `expect`. */
export async function inspectLinks(config: CliConfig, expect: Expectations): Promise<FoundLink[]> {
  const found: FoundLink[] = [];
  for (const p of config.profiles) {
    const link = await linkOf(p, expect);
    if (!link) continue;
    const problems: LinkProblem[] = [];
    if (p.mode !== MODE_OF[link.kind]) problems.push('mode');
    if (!link.profile) problems.push('profile-missing');
    if (link.kind === 'external') {
      const command = text(p.process_command);
      if (command === undefined) problems.push('process-command-missing');
      else if (link.profile) {
        const wanted = await expect.external(link.profile);
        if (command !== wanted.command) problems.push('process-command-stale');
        else if (wanted.wrapper === 'missing') problems.push('wrapper-missing');
        else if (wanted.wrapper === 'stale') problems.push('wrapper-stale');
      }
    } else {
      const uri = text(p.credentials_uri);
      if (uri === undefined) problems.push('credentials-uri-missing');
      else if (link.profile && uri !== (await expect.uri(link.profile))) problems.push('credentials-uri-stale');
    }
    const writtenBackKeys = hasWrittenBackKeys(p);
    if (writtenBackKeys) problems.push('written-back-keys');
    found.push({
      name: p.name,
      linkedTo: link.profile?.name ?? null,
      mode: typeof p.mode === 'string' ? p.mode : null,
      intact: problems.length === 0,
      problems,
      writtenBackKeys,
      kind: link.kind,
      profile: link.profile,
    });
  }
  return found;
}

/** The documented shape only (no profile object, no kind). */
export function statusJson(link: FoundLink): CliLinkStatus {
  const { name, linkedTo, mode, intact, problems, writtenBackKeys } = link;
  return { name, linkedTo, mode, intact, problems, writtenBackKeys };
}
