import { AppError } from '../core/errors.js';

const EXEC_SYNOPSIS = 'exec [NAME] [--server] [--force] [--] COMMAND [ARGS...]';

/** What `exec` was asked to do. */
export interface ExecRequest {
  /** Undefined: the active profile. */
  name: string | undefined;
  /** A one-off CredentialsURI endpoint instead of static keys. */
  server: boolean;
  /** Run even inside an exec for another profile. */
  force: boolean;
  command: string;
  args: string[];
}

/**
 * Reads `[NAME] [--server] [--force] [--] COMMAND [ARGS...]`. Before the command, the first word
 * that is not a flag is NAME and the next one is COMMAND; everything from COMMAND on belongs to
 * the command, its own flags included (`exec prod ls -l`). `--` ends exec's flags, so
 * `exec -- aliyun ...` runs the active profile. Built-ins only: the launcher's fast path uses it.
 */
export function parseExecArgs(argv: readonly string[]): ExecRequest {
  let name: string | undefined;
  let server = false;
  let force = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--') return finish(argv.slice(i + 1));
    if (arg === '--server') server = true;
    else if (arg === '--force') force = true;
    else if (arg.startsWith('-') && arg !== '-') {
      throw usage(`exec does not know the option "${optionName(arg)}".`);
    } else if (name === undefined) {
      if (arg === '') throw usage('NAME is empty.');
      name = arg;
    } else return finish(argv.slice(i));
  }
  return finish([]);

  function finish(rest: readonly string[]): ExecRequest {
    const [command, ...args] = rest;
    if (command === undefined || command === '') {
      // `exec aliyun` read "aliyun" as the profile: say how to run a command with the active one.
      const hint = name !== undefined && rest.length === 0 ? ` (for the active profile: exec -- ${name})` : '';
      throw usage(`Name the command to run${hint}.`);
    }
    return { name, server, force, command, args };
  }
}

/** The option's name only: `--x=VALUE` may carry something that should not be echoed. */
function optionName(arg: string): string {
  return arg.split('=', 1)[0] as string;
}

function usage(reason: string): AppError {
  return new AppError('INVALID_INPUT', `${reason} Usage: alicloud-signin ${EXEC_SYNOPSIS}`);
}
