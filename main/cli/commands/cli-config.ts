import { parseArgs } from 'node:util';
import { credentialsUriFor, externalProcessWarning } from '../../services/broker/index.js';
import {
  cliConfigPath,
  externalProcessCommand,
  importCliProfiles,
  linkCliProfile,
  type LinkTarget,
} from '../../services/cli-config/index.js';
import type { Services } from '../../services/context.js';
import { AppError, ERROR_CODES, type ErrorCode } from '../../services/core/errors.js';
import type { Profile } from '../../services/profiles/schema.js';
import type { CliIO } from '../io.js';
import { selfArgv, warnIfStopped } from './broker.js';
import { single, usage } from './profile.js';

type Mode = 'external' | 'uri';

function modeOf(value: string | undefined): Mode {
  if (value === undefined || value === 'external') return 'external';
  if (value === 'uri') return 'uri';
  throw usage('--mode must be external or uri.');
}

/** The CLI profile's way to us; warnings go to stderr. */
async function targetFor(services: Services, io: CliIO, profile: Profile, mode: Mode): Promise<LinkTarget> {
  if (mode === 'uri') {
    return {
      mode: 'uri',
      credentialsUri: await credentialsUriFor({ dataDir: services.dataDir, secrets: services.secrets }, profile),
    };
  }
  const { command, warning } = externalProcessCommand(profile.name, { argv: selfArgv() });
  if (warning) io.err(`warning: ${warning}`);
  return { mode: 'external', processCommand: command };
}

/** `cli-config link NAME [--mode external|uri] [--as CLI_PROFILE] [--config-path PATH]` */
export async function cliConfigLink(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { mode: { type: 'string' }, as: { type: 'string' }, 'config-path': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const profile = await services.store.resolve(
    single(positionals, 'cli-config link NAME [--mode external|uri] [--as CLI_PROFILE]'),
  );
  const mode = modeOf(values.mode);
  if (values.as !== undefined && !/^[\x21-\x7e][\x20-\x7e]{0,127}$/.test(values.as))
    throw usage('--as takes a CLI profile name (printable characters).');
  const target = await targetFor(services, io, profile, mode);
  const result = await linkCliProfile({
    file: cliConfigPath(values['config-path']),
    profile,
    ...(values.as !== undefined ? { cliProfile: values.as } : {}),
    target,
  });
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
  const warning = externalProcessWarning();
  if (warning) io.err(`warning: ${warning}`);
  if (mode === 'uri') {
    if (!profile.brokerEnabled)
      io.err(
        `warning: "${profile.name}" is switched off for the broker: alicloud-signin broker enable ${profile.name}`,
      );
    await warnIfStopped(services, io);
  }
}

/** `cli-config import [--scrub] [--mode external|uri] [--like NAME] [--config-path PATH]` */
export async function cliConfigImport(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      scrub: { type: 'boolean' },
      mode: { type: 'string' },
      like: { type: 'string' },
      'config-path': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw usage('Usage: alicloud-signin cli-config import [--scrub] [--mode external|uri] [--like NAME]');
  const mode = modeOf(values.mode);
  const like = values.like !== undefined ? await services.store.resolve(values.like) : undefined;
  const result = await importCliProfiles(
    { store: services.store, secrets: services.secrets, tokens: services.tokens, dataDir: services.dataDir },
    {
      file: cliConfigPath(values['config-path']),
      scrub: Boolean(values.scrub),
      linkTarget: (profile) => targetFor(services, io, profile, mode),
      ...(like ? { like } : {}),
    },
  );
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
    const warning = externalProcessWarning();
    if (warning) io.err(`warning: ${warning}`);
  } else if (!values.scrub && result.items.some((i) => i.outcome === 'imported')) {
    io.err(
      'The check refreshed each imported token, so the copy in the aliyun CLI file is used up: the CLI must not use it again. ' +
        'Point those CLI profiles at alicloud-signin: alicloud-signin cli-config import --scrub (or cli-config link NAME --as CLI_PROFILE).',
    );
  }
  const failed = result.items.filter((i) => i.outcome === 'failed');
  if (failed.length > 0) {
    const first = failed[0]?.code;
    const code: ErrorCode =
      first && (ERROR_CODES as readonly string[]).includes(first) ? (first as ErrorCode) : 'INVALID_GRANT';
    throw new AppError(
      code,
      `${failed.length} of ${result.items.length} profile(s) could not be imported and were left exactly as they were: ${failed.map((i) => i.cliProfile).join(', ')}.`,
    );
  }
}
