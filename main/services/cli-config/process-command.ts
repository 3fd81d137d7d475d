import { HOME_ENV } from '../core/paths.js';

export interface SelfCommand {
  /** Argument vector that starts this CLI, e.g. [node, /path/alicloud-signin.mjs] or [alicloud-signin]. */
  argv: string[];
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/**
 * The `process_command` for External mode: this CLI's `credentials NAME`. The aliyun CLI splits
 * it on white space with no quoting, so a path with a space cannot be written; then the bare
 * `alicloud-signin` (found on PATH) is used and `warning` says so. A data folder chosen with
 * $ALICLOUD_SIGNIN_HOME travels with the command (through `env`, not on Windows).
 */
export function externalProcessCommand(profileName: string, self: SelfCommand): { command: string; warning?: string } {
  const env = self.env ?? process.env;
  const home = env[HOME_ENV];
  const usable = self.argv.length > 0 && self.argv.every((part) => part !== '' && !/\s/.test(part));
  const start = usable ? self.argv : ['alicloud-signin'];
  const prefix =
    home && !/\s/.test(home) && (self.platform ?? process.platform) !== 'win32' ? ['env', `${HOME_ENV}=${home}`] : [];
  const command = [...prefix, ...start, 'credentials', profileName].join(' ');
  const warnings: string[] = [];
  if (!usable) {
    warnings.push(
      'The path of this program contains a space, which the aliyun CLI cannot run; the command relies on alicloud-signin being on PATH.',
    );
  }
  if (home && prefix.length === 0) {
    warnings.push(`${HOME_ENV} is set but cannot be passed in the command; set it where the aliyun CLI runs too.`);
  }
  return warnings.length > 0 ? { command, warning: warnings.join(' ') } : { command };
}
