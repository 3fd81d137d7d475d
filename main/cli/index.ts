import { AppError, toAppError } from '../services/core/errors.js';
import type { Services } from '../services/context.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { processIO, type CliIO } from './io.js';
import { prestartKeychainHelper } from '../services/secrets/isolation.js';
import { loadServices, type ServiceNeeds } from './services.js';

/** A command's exit status is 0 unless it returns another (`exec` returns its child's). */
type Command = (services: Services, io: CliIO, argv: string[]) => Promise<void | number>;

interface Entry {
  /** The command's module is imported only when it runs: each command loads what it uses. */
  load: () => Promise<Command>;
  /** Default `all`. */
  needs?: ServiceNeeds;
}

const profile = () => import('./commands/profile.js');
const session = () => import('./commands/session.js');
const broker = () => import('./commands/broker.js');
const cliConfig = () => import('./commands/cli-config.js');

/** Every command; the completion scripts offer these names (test/cli/completion.test.ts checks). */
export const COMMANDS: Record<string, Entry> = {
  'profile add': { load: async () => (await profile()).profileAdd },
  'profile list': { load: async () => (await import('./commands/profile-read.js')).profileList, needs: 'profiles' },
  'profile remove': { load: async () => (await profile()).profileRemove },
  use: { load: async () => (await import('./commands/profile-read.js')).useProfile, needs: 'profiles' },
  login: { load: async () => (await session()).login },
  logout: { load: async () => (await session()).logout },
  whoami: { load: async () => (await import('./commands/whoami.js')).whoami, needs: 'local' },
  refresh: { load: async () => (await session()).refresh },
  credentials: { load: async () => (await import('./commands/credentials.js')).credentials },
  exec: { load: async () => (await import('./commands/exec.js')).exec },
  buckets: { load: async () => (await import('./commands/buckets.js')).buckets },
  serve: { load: async () => (await import('./commands/serve.js')).serve },
  audit: { load: async () => (await import('./commands/audit.js')).audit },
  'cli-config link': { load: async () => (await cliConfig()).cliConfigLink },
  'cli-config import': { load: async () => (await cliConfig()).cliConfigImport },
  'cli-config status': { load: async () => (await import('./commands/cli-config-status.js')).cliConfigStatus },
  console: { load: async () => (await import('./commands/console.js')).consoleCommand },
  'broker enable': { load: async () => (await broker()).brokerEnable },
  'broker disable': { load: async () => (await broker()).brokerDisable },
  'broker rotate': { load: async () => (await broker()).brokerRotate },
  'broker url': { load: async () => (await broker()).brokerUrl },
  'broker status': { load: async () => (await broker()).brokerStatus },
  demo: { load: async () => (await import('./commands/demo.js')).demo },
  completion: { load: async () => (await import('./commands/completion.js')).completion, needs: 'none' },
  // Hidden: what the completion scripts call for candidates.
  __complete: { load: async () => (await import('./commands/completion.js')).completeCommand, needs: 'none' },
};

const HELP = `alicloud-signin: sign in to Alibaba Cloud in your browser; tokens stay in the OS keychain.

Usage:
  alicloud-signin profile add NAME --site cn|intl|custom [options]   add a profile
  alicloud-signin profile add NAME --assume-role ARN --from SOURCE [--session-name S] [--duration SECONDS]
                  [--external-id ID] [--region R] [--sts-endpoint URL]   a RAM role profile (STS AssumeRole)
  alicloud-signin profile list [--json]                             list profiles
  alicloud-signin profile remove NAME                               sign out and remove
  alicloud-signin use NAME                                          make NAME the active profile
  alicloud-signin login [NAME] [--no-browser] [--timeout SECONDS]   sign in (headless: paste the URL)
  alicloud-signin logout [NAME]                                     revoke and forget the sign-in
  alicloud-signin whoami [NAME] [--json]                            who is signed in, token expiries
  alicloud-signin refresh [NAME] [--json]                           refresh the sign-in now
  alicloud-signin credentials [NAME] [--format external|env|json]   temporary STS credentials (aliyun External mode)
  alicloud-signin exec [NAME] [--server] [--force] [--] COMMAND [ARGS...]   run COMMAND with NAME's credentials
  alicloud-signin buckets [NAME] [--prefix P] [--json]              list the profile's OSS buckets
  alicloud-signin serve [--port N]                                  run the credential broker (CredentialsURI + local channel)
  alicloud-signin broker enable|disable NAME                        let the broker serve NAME, or not
  alicloud-signin broker url NAME | broker rotate NAME              NAME's credentials URI (a secret) / a new one
  alicloud-signin broker status [--json]                            is a broker running, and where
  alicloud-signin audit [--json] [--limit N]                        what the broker handed out or refused
  alicloud-signin cli-config link NAME [--mode external|uri] [--as CLI_PROFILE] [--region R] [--config-path PATH]
  alicloud-signin cli-config import [--keep-cli-tokens] [--mode external|uri] [--like NAME] [--config-path PATH]
  alicloud-signin cli-config status [--json] [--fix] [--config-path PATH]   linked aliyun CLI profiles intact?
  alicloud-signin console [NAME] [--destination URL] [--print]      open the Alibaba Cloud console as NAME
  alicloud-signin demo [NAME] [--buckets N] [--json]                run the offline demo site (no Alibaba account needed)
  alicloud-signin completion bash|zsh|fish                          shell completion: source <(alicloud-signin completion bash)

NAME defaults to the active profile. Data: $ALICLOUD_SIGNIN_HOME (see README).
Exit codes: 0 ok, 1 failure, 2 usage, 3 sign-in failed, 4 sign in again, 5 keychain, 6 network, 7 storage.`;

export async function run(argv: string[], io: CliIO = processIO(), services?: Services): Promise<number> {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(HELP);
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '--version') {
    io.out(VERSION);
    return EXIT.ok;
  }
  const grouped = second !== undefined ? COMMANDS[`${first} ${second}`] : undefined;
  const entry = grouped ?? COMMANDS[first];
  const args = grouped ? rest : argv.slice(1);
  if (!entry) {
    io.err(
      `alicloud-signin: error INVALID_INPUT: unknown command "${[first, second].filter(Boolean).join(' ')}". Run alicloud-signin --help`,
    );
    return EXIT.usage;
  }
  try {
    // The keychain helper (main.ts isolates keychain calls in it) starts while the modules load;
    // `whoami` (local) only asks whether a secret exists, which Linux answers without it.
    const needs = entry.needs ?? 'all';
    if (!services && (needs === 'all' || (needs === 'local' && process.platform !== 'linux'))) prestartKeychainHelper();
    // The command's chunks and the services' load side by side.
    const [command, ready] = await Promise.all([entry.load(), services ?? loadServices(entry.needs ?? 'all')]);
    const status = await command(ready, io, args);
    return typeof status === 'number' ? status : EXIT.ok;
  } catch (error) {
    const coded = error instanceof AppError ? error : usageOrInternal(error);
    // One line that names the code; the message never holds a secret.
    io.err(`alicloud-signin: error ${coded.code}: ${coded.message}`);
    if (process.env.ALICLOUD_SIGNIN_DEBUG && coded.cause) io.err(`cause: ${describeCause(coded.cause)}`);
    return exitCodeFor(coded.code);
  }
}

declare const __APP_VERSION__: string | undefined;
const VERSION = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';

/** parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for bad flags. */
function usageOrInternal(error: unknown): AppError {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    return new AppError('INVALID_INPUT', `${(error as Error).message}. Run alicloud-signin --help`);
  }
  return toAppError(error);
}

/** For ALICLOUD_SIGNIN_DEBUG: the class and code of each cause, never a message that could echo a body. */
function describeCause(cause: unknown): string {
  const parts: string[] = [];
  for (let c: unknown = cause; c && parts.length < 5; c = (c as { cause?: unknown }).cause) {
    const name = (c as { name?: unknown }).name;
    const code = (c as { code?: unknown }).code;
    parts.push(`${typeof name === 'string' ? name : typeof c}${typeof code === 'string' ? `(${code})` : ''}`);
  }
  return parts.join(' <- ');
}
