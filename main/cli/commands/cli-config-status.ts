import { parseArgs } from 'node:util';
import { cliLinkStatus } from '../../services/app/cli-status.js';
import { cliConfigPath, configTarget, statusJson, type LinkProblem } from '../../services/cli-config/index.js';
import type { Services } from '../../services/context.js';
import { AppError } from '../../services/core/errors.js';
import { usage } from '../args.js';
import type { CliIO } from '../io.js';
import { json } from '../io.js';
import { linkDeps, wrapperNote } from './cli-config.js';

/** One line per problem word, for people; `--json` gives the words themselves. */
const PROBLEM_WORDS: Record<LinkProblem, string> = {
  mode: 'its mode is not spelled as the aliyun CLI expects',
  'profile-missing': 'the alicloud-signin profile it named no longer exists',
  'process-command-missing': 'its process_command is gone',
  'process-command-stale': 'its process_command does not start this install of alicloud-signin',
  'wrapper-missing': 'the wrapper its process_command runs is not on PATH',
  'wrapper-stale': 'the wrapper its process_command runs does not start this install',
  'credentials-uri-missing': 'its credentials_uri is gone (the Go SDK drops it when it rewrites the file)',
  'credentials-uri-stale': "its credentials_uri is not this broker's current URL (port or secret changed)",
  'written-back-keys': 'an SDK wrote STS keys back into it in plaintext',
};

/** `cli-config status [--json] [--fix] [--config-path PATH]` */
export async function cliConfigStatus(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, fix: { type: 'boolean' }, 'config-path': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw usage('Usage: alicloud-signin cli-config status [--json] [--fix] [--config-path PATH]');
  const file = cliConfigPath(values['config-path']);
  const { links, repair } = await cliLinkStatus(
    { ...linkDeps(services), store: services.store },
    { file, ...(values.fix ? { fix: true } : {}) },
  );
  // Notes from relinking (a wrapper written) go to stderr; --json keeps stdout to the one object.
  for (const wrapper of repair?.wrappers ?? []) wrapperNote(io, wrapper);
  const broken = links.filter((l) => !l.intact);
  if (values.json) {
    io.out(
      json({
        configPath: file,
        profiles: links.map(statusJson),
        ...(values.fix ? { fixed: repair?.fixed ?? [], backup: repair?.backup ?? null } : {}),
      }),
    );
  } else {
    const target = await configTarget(file);
    io.out(`aliyun CLI configuration: ${file}${target !== file ? ` (a link to ${target})` : ''}`);
    if (links.length === 0) io.out('No profile in it gets credentials from alicloud-signin.');
    for (const link of links) {
      const to = link.linkedTo ? `"${link.linkedTo}"` : 'a profile that no longer exists';
      io.out(`${link.name}: ${link.mode ?? 'no mode'} from ${to}: ${link.intact ? 'intact' : 'needs repair'}`);
      for (const problem of link.problems) io.out(`  - ${PROBLEM_WORDS[problem]}`);
    }
    if (repair?.fixed.length) io.err(`Repaired ${repair.fixed.map((n) => `"${n}"`).join(', ')}.`);
    if (repair?.backup) io.err(`Backup of the previous file (without the written-back keys): ${repair.backup}`);
  }
  if (broken.length > 0) {
    const names = broken.map((l) => `"${l.name}"`).join(', ');
    throw new AppError(
      'CLI_CONFIG_DRIFT',
      !values.fix
        ? `${broken.length} aliyun CLI profile(s) linked to alicloud-signin need repair: ${names}. Run: alicloud-signin cli-config status --fix`
        : broken.every((l) => l.problems.includes('profile-missing'))
          ? `${names} could not be repaired: the alicloud-signin profile they named is gone. Link them to another one (cli-config link NAME --as CLI_PROFILE) or remove them from ${file}.`
          : `${names} still need repair after --fix (${[...new Set(broken.flatMap((l) => l.problems))].join(', ')}); see above.`,
    );
  }
}
