import { parseArgs } from 'node:util';
import { brokerPort, credentialsUri, uriSecretAccount } from '../../services/broker/index.js';
import {
  cliConfigPath,
  configTarget,
  externalProcessCommand,
  inspectLinks,
  LinkedProfiles,
  loadCliConfig,
  repairLinks,
  statusJson,
  wrapperState,
  type Expectations,
  type FoundLink,
  type LinkProblem,
  type RepairResult,
} from '../../services/cli-config/index.js';
import type { Services } from '../../services/context.js';
import { AppError } from '../../services/core/errors.js';
import type { CliIO } from '../io.js';
import { json } from '../io.js';
import { selfArgv } from './broker.js';
import { targetFor } from './cli-config.js';
import { usage } from './profile.js';

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

/** What `link` would write now for each profile, without creating anything (no secret, no wrapper). */
async function expectations(services: Services, file: string): Promise<Expectations> {
  const port = await brokerPort(services.dataDir);
  return {
    profiles: (await services.store.read()).profiles,
    ledger: await new LinkedProfiles(services.dataDir).forFile(file),
    external: async (profile) => {
      const plan = externalProcessCommand(profile.name, { argv: selfArgv() });
      return plan.wrapper
        ? { command: plan.command, wrapper: await wrapperState(plan.wrapper) }
        : { command: plan.command };
    },
    uri: async (profile) => {
      const secret = await services.secrets.get(uriSecretAccount(profile.id));
      return secret ? credentialsUri(port, profile.id, secret) : undefined;
    },
  };
}

async function inspect(services: Services, file: string): Promise<FoundLink[]> {
  const links = await inspectLinks((await loadCliConfig(file)).config, await expectations(services, file));
  // Remember what the file still says, so a field an SDK drops later does not hide the link.
  await new LinkedProfiles(services.dataDir).record(
    file,
    Object.fromEntries(
      links.flatMap((l) => (l.profile ? [[l.name, { profileId: l.profile.id, mode: l.kind }] as const] : [])),
    ),
  );
  return links;
}

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
  let links = await inspect(services, file);
  let repair: RepairResult | undefined;
  if (values.fix && links.some((l) => !l.intact)) {
    // Notes from relinking (a wrapper written) go to stderr; --json keeps stdout to the one object.
    repair = await repairLinks({ file, links, target: (profile, kind) => targetFor(services, io, profile, kind) });
    links = await inspect(services, file);
  }
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
