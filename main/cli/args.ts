import { AppError } from '../services/core/errors.js';

/** What every command's argument parsing shares: a usage error names the command's synopsis. */
export function usage(message: string): AppError {
  return new AppError('INVALID_INPUT', message);
}

/** Exactly one positional argument (a profile name), else the synopsis. */
export function single(positionals: string[], synopsis: string): string {
  if (positionals.length !== 1 || !positionals[0]) throw usage(`Usage: alicloud-signin ${synopsis}`);
  return positionals[0];
}

/** At most one positional argument; none means the active profile. */
export function optionalName(positionals: string[], synopsis: string): string | undefined {
  if (positionals.length > 1) throw usage(`Usage: alicloud-signin ${synopsis}`);
  return positionals[0];
}
