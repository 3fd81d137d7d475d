import { parseArgs } from 'node:util';
import { CLI_PROFILE_NAME } from '../../../shared/fields.js';
import { importFromCli } from '../../services/app/cli-import.js';
import { linkToCli, type CliLinkDeps, type CliLinkMode, type WrapperNote } from '../../services/app/cli-link.js';
import { externalProcessWarning, otherHumanUsers } from '../../services/broker/index.js';
import { cliConfigPath } from '../../services/cli-config/index.js';
import type { Services } from '../../services/context.js';
import { AppError } from '../../services/core/errors.js';
import { Region } from '../../services/profiles/schema.js';
import { single, usage } from '../args.js';
import type { CliIO } from '../io.js';
import { selfArgv, warnIfStopped } from './broker.js';

export type Mode = CliLinkMode;

function modeOf(value: string | undefined): Mode {
  if (value === undefined || value === 'external') return 'external';
  if (value === 'uri') return 'uri';
  throw usage('--mode must be external or uri.');
}

/** What linking needs from this process: where the data is, and how to start this install again. */
export function linkDeps(services: Services): CliLinkDeps {
  return { dataDir: services.dataDir, secrets: services.secrets, self: { argv: selfArgv() } };
}

/** Why an External link will not work yet, and the two ways out. */
function programMissingWords(program: string): string {
  return `the aliyun CLI will not find "${program}" (not on PATH here), so this External command cannot run yet: put alicloud-signin on PATH, or link with --mode uri, which needs only a running broker.`;
}

/** Says why process_command runs a wrapper on PATH instead of this install (its path needs one). */
export function wrapperNote(io: CliIO, wrapper: WrapperNote | undefined): void {
  if (!wrapper) return;
  io.err(
    `This install's path (or its data folder) holds a space, a quote or a backslash, which aliyun CLI versions split differently; ` +
      `process_command runs ${wrapper.name} instead, a wrapper on PATH that starts this install (${wrapper.file}).`,
  );
  if (wrapper.warning) io.err(`warning: ${wrapper.warning}`);
}

/** What Alibaba's SDKs do to the file, and the variable that spares it; for `link` and `import`. */
export function sdkNotes(io: CliIO, file: string, mode: Mode, profileName: string): void {
  if (mode === 'external') {
    io.err(
      `Note: Alibaba's Go and Python SDKs, when they use this profile, write the STS keys they get back into ${file} in plaintext ` +
        `(access_key_id, access_key_secret, sts_token), and the Go SDK rewrites the whole file, dropping fields it does not know ` +
        `(such as credentials_uri of other profiles).`,
    );
  } else {
    io.err(
      `Note: when Alibaba's Go SDK rewrites ${file} (after it used an External or OAuth profile), it drops credentials_uri from this profile.`,
    );
  }
  io.err('Check linked profiles with: alicloud-signin cli-config status (repair with --fix).');
  io.err(
    `For SDKs, prefer the environment to the file: export ALIBABA_CLOUD_CREDENTIALS_URI="$(alicloud-signin broker url ${profileName})" with alicloud-signin serve running.`,
  );
}

/** `cli-config link NAME [--mode external|uri] [--as CLI_PROFILE] [--region REGION] [--config-path PATH]` */
export async function cliConfigLink(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      mode: { type: 'string' },
      as: { type: 'string' },
      region: { type: 'string' },
      'config-path': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const profile = await services.store.resolve(
    single(positionals, 'cli-config link NAME [--mode external|uri] [--as CLI_PROFILE] [--region REGION]'),
  );
  const mode = modeOf(values.mode);
  if (values.as !== undefined && !CLI_PROFILE_NAME.test(values.as))
    throw usage('--as takes a CLI profile name (printable characters).');
  const region = values.region === undefined ? undefined : Region.safeParse(values.region);
  if (region && !region.success) throw usage('--region takes a region such as cn-hangzhou.');
  const file = cliConfigPath(values['config-path']);
  const result = await linkToCli(linkDeps(services), {
    profile,
    mode,
    file,
    ...(values.as !== undefined ? { cliProfile: values.as } : {}),
    ...(region?.success ? { region: region.data } : {}),
  });
  wrapperNote(io, result.wrapper);
  if (result.programMissing) io.err(`warning: ${programMissingWords(result.programMissing)}`);
  const label = mode === 'uri' ? 'CredentialsURI' : 'External';
  io.out(
    result.changed
      ? `aliyun CLI profile "${result.cliProfile}" now gets credentials from "${profile.name}" (${label} mode) in ${result.file}.`
      : `aliyun CLI profile "${result.cliProfile}" already gets credentials from "${profile.name}" (${label} mode).`,
  );
  if (result.backup) io.err(`Backup of the previous file: ${result.backup}`);
  if (result.previousMode && result.previousMode !== label)
    io.err(`It was in ${result.previousMode} mode before; its other settings were kept.`);
  io.err(`Use it: aliyun --profile ${result.cliProfile} sts GetCallerIdentity`);
  sdkNotes(io, file, mode, profile.name);
  const warning = externalProcessWarning();
  if (warning) io.err(`warning: ${warning}`);
  if (mode === 'uri') {
    await warnIfShared(io, values.mode === 'uri');
    if (!profile.brokerEnabled)
      io.err(
        `warning: "${profile.name}" is switched off for the broker: alicloud-signin broker enable ${profile.name}`,
      );
    await warnIfStopped(services, io);
  }
}

/**
 * External mode hands out nothing another user could record; a CredentialsURI is a secret on a
 * loopback port that anyone on the machine can listen on while the broker is down. With other
 * people's accounts here, say so (the choice stays the person's: they asked for uri).
 */
async function warnIfShared(io: CliIO, asked: boolean): Promise<void> {
  const others = await otherHumanUsers();
  if (!asked || others.length === 0) return;
  const names = others
    .slice(0, 3)
    .map((u) => u.name)
    .join(', ');
  io.err(
    `note: other people have accounts on this machine (${names}${others.length > 3 ? ', …' : ''}). External mode ` +
      '(the default) is safer here: while the broker is down, another user can listen on its port and record the ' +
      "CredentialsURI secret a client asks with. On Linux the broker refuses every other user's connection, so a " +
      'recorded secret gets them nothing; rotate it anyway if that may have happened (alicloud-signin broker rotate NAME).',
  );
}

const IMPORT_USAGE =
  'Usage: alicloud-signin cli-config import [--keep-cli-tokens] [--mode external|uri] [--like NAME] [--config-path PATH]';

/** `cli-config import [--keep-cli-tokens] [--scrub] [--mode external|uri] [--like NAME] [--config-path PATH]` */
export async function cliConfigImport(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      // The default now; still accepted so scripts written for it keep working.
      scrub: { type: 'boolean' },
      'keep-cli-tokens': { type: 'boolean' },
      mode: { type: 'string' },
      like: { type: 'string' },
      'config-path': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw usage(IMPORT_USAGE);
  const keep = Boolean(values['keep-cli-tokens']);
  if (keep && values.scrub) throw usage('--scrub and --keep-cli-tokens contradict each other; choose one.');
  const mode = modeOf(values.mode);
  const like = values.like !== undefined ? await services.store.resolve(values.like) : undefined;
  const result = await importFromCli(
    { ...linkDeps(services), store: services.store, tokens: services.tokens },
    { file: cliConfigPath(values['config-path']), keepCliTokens: keep, mode, ...(like ? { like } : {}) },
  );
  for (const wrapper of result.wrappers) wrapperNote(io, wrapper);
  if (result.items.length === 0) {
    io.err(`No OAuth-mode profiles in ${result.file}; nothing to import.`);
    return;
  }
  for (const item of result.items) {
    io.out(`${item.cliProfile}: ${item.outcome}${item.code ? ` (${item.code})` : ''} - ${item.message}`);
  }
  if (result.scrubbed.length > 0) {
    io.err(
      `Removed the plaintext tokens of ${result.scrubbed.map((n) => `"${n}"`).join(', ')} from ${result.file}; they now get credentials from alicloud-signin.`,
    );
    if (result.backup) io.err(`Backup (without those tokens): ${result.backup}`);
    sdkNotes(io, result.file, mode, result.items.find((i) => i.profile)?.profile ?? 'NAME');
    const warning = externalProcessWarning();
    if (warning) io.err(`warning: ${warning}`);
  } else if (keep && result.items.some((i) => i.outcome === 'imported' || i.outcome === 'already-imported')) {
    io.err(
      `warning: --keep-cli-tokens left the refresh tokens in ${result.file}, and they are stale: checking each import refreshed it, ` +
        'which rotated it, so the copy in the file is used up. If the aliyun CLI presents one again, Alibaba may take it as a stolen ' +
        'token and revoke the whole sign-in, the one alicloud-signin now holds included (RFC 9700 4.14.2). ' +
        'Do not use those CLI profiles as they are; link them: alicloud-signin cli-config link NAME --as CLI_PROFILE.',
    );
  }
  const failed = result.items.filter((i) => i.outcome === 'failed');
  if (failed.length > 0) {
    throw new AppError(
      failed[0]?.code ?? 'INVALID_GRANT',
      `${failed.length} of ${result.items.length} profile(s) could not be imported and were left exactly as they were: ${failed.map((i) => i.cliProfile).join(', ')}.`,
    );
  }
}
