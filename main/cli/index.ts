import { AppError, toAppError } from '../services/core/errors.js';
import { createServices, type Services } from '../services/context.js';
import { audit } from './commands/audit.js';
import { brokerDisable, brokerEnable, brokerRotate, brokerStatus, brokerUrl } from './commands/broker.js';
import { buckets } from './commands/buckets.js';
import { cliConfigImport, cliConfigLink } from './commands/cli-config.js';
import { consoleCommand } from './commands/console.js';
import { demo } from './commands/demo.js';
import { serve } from './commands/serve.js';
import { credentials } from './commands/credentials.js';
import { login, logout, refresh, whoami } from './commands/session.js';
import { profileAdd, profileList, profileRemove, useProfile } from './commands/profile.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { processIO, type CliIO } from './io.js';

type Command = (services: Services, io: CliIO, argv: string[]) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  'profile add': profileAdd,
  'profile list': profileList,
  'profile remove': profileRemove,
  use: useProfile,
  login,
  logout,
  whoami,
  refresh,
  credentials,
  buckets,
  serve,
  audit,
  'cli-config link': cliConfigLink,
  'cli-config import': cliConfigImport,
  console: consoleCommand,
  'broker enable': brokerEnable,
  'broker disable': brokerDisable,
  'broker rotate': brokerRotate,
  'broker url': brokerUrl,
  'broker status': brokerStatus,
  demo,
};

export const HELP = `alicloud-signin: sign in to Alibaba Cloud in your browser; tokens stay in the OS keychain.

Usage:
  alicloud-signin profile add NAME --site cn|intl|custom [options]   add a profile
  alicloud-signin profile list [--json]                             list profiles
  alicloud-signin profile remove NAME                               sign out and remove
  alicloud-signin use NAME                                          make NAME the active profile
  alicloud-signin login [NAME] [--no-browser] [--timeout SECONDS]   sign in (headless: paste the URL)
  alicloud-signin logout [NAME]                                     revoke and forget the sign-in
  alicloud-signin whoami [NAME] [--json]                            who is signed in, token expiries
  alicloud-signin refresh [NAME] [--json]                           refresh the sign-in now
  alicloud-signin credentials [NAME] [--format external|env|json]   temporary STS credentials (aliyun External mode)
  alicloud-signin buckets [NAME] [--prefix P] [--json]              list the profile's OSS buckets
  alicloud-signin serve [--port N]                                  run the credential broker (CredentialsURI + local channel)
  alicloud-signin broker enable|disable NAME                        let the broker serve NAME, or not
  alicloud-signin broker url NAME | broker rotate NAME              NAME's credentials URI (a secret) / a new one
  alicloud-signin broker status [--json]                            is a broker running, and where
  alicloud-signin audit [--json] [--limit N]                        what the broker handed out or refused
  alicloud-signin cli-config link NAME [--mode external|uri] [--as CLI_PROFILE] [--config-path PATH]
  alicloud-signin cli-config import [--scrub] [--mode external|uri] [--like NAME] [--config-path PATH]
  alicloud-signin console [NAME] [--destination URL] [--print]      open the Alibaba Cloud console as NAME
  alicloud-signin demo [NAME] [--buckets N] [--json]                run the offline demo site (no Alibaba account needed)

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
  const command = grouped ?? COMMANDS[first];
  const args = grouped ? rest : argv.slice(1);
  if (!command) {
    io.err(
      `alicloud-signin: error INVALID_INPUT: unknown command "${[first, second].filter(Boolean).join(' ')}". Run alicloud-signin --help`,
    );
    return EXIT.usage;
  }
  try {
    await command(services ?? createServices(), io, args);
    return EXIT.ok;
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

// Run when executed as the CLI (the bundle), not when imported by tests.
if (process.argv[1] && /alicloud-signin(\.mjs)?$|cli[/\\]index\.ts$/.test(process.argv[1])) {
  run(process.argv.slice(2)).then((code) => {
    // exitCode, not exit(): a large piped stdout would otherwise be cut short.
    process.exitCode = code;
  });
}
