import type { Services } from '../../services/context.js';
import { parseExecArgs } from '../../services/exec/args.js';
import { runExec } from '../../services/exec/run.js';
import type { CliIO } from '../io.js';

/**
 * `exec [NAME] [--server] [--force] [--] COMMAND [ARGS...]`: runs COMMAND as the profile, its
 * STS credentials in the command's environment (or, with `--server`, a one-off CredentialsURI
 * endpoint that renews them while it runs). The command's exit status is exec's. The launcher
 * runs the same code when a broker answers; this is the path without one.
 */
export async function exec(services: Services, io: CliIO, argv: string[]): Promise<number> {
  const request = parseExecArgs(argv);
  return runExec(request, { dataDir: services.dataDir, env: process.env, err: io.err, local: async () => services });
}
