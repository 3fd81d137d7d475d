import type { ExecRequest } from './args.js';
import { runChild } from './child.js';
import { checkNesting, childEnv, type ExecCredentials } from './child-env.js';
import { findSummary, readProfileSummaries } from './profile-summaries.js';
import { profileCredentials, type CredentialsOptions, type ProfileCredentials } from '../app/credentials.js';
import type { ExecUriServer } from './uri-server.js';

export interface ExecDeps extends Pick<CredentialsOptions, 'dataDir' | 'local'> {
  /** The shell's environment, which the command inherits. */
  env: NodeJS.ProcessEnv;
  /** A line on stderr. */
  err: (line: string) => void;
  /** How the first credentials are got; default `profileCredentials` (the launcher: the broker only). */
  first?: (ref: string | undefined) => Promise<ProfileCredentials>;
}

/**
 * `exec`: the profile's credentials (broker first, else the keychain), then the command with
 * them in its environment, or with a one-off CredentialsURI endpoint (`--server`) that lives as
 * long as the command. Resolves with the command's exit status. Everything that can fail is done
 * before the command starts: a throw means it never ran.
 */
export async function runExec(request: ExecRequest, deps: ExecDeps): Promise<number> {
  const { dataDir, local } = deps;
  const file = await readProfileSummaries(dataDir);
  // Refused before any credentials are fetched, where the profile file already says which it is.
  const named = findSummary(file, request.name);
  if (named) checkNesting(deps.env, named.name, request.force);
  const first = await (deps.first ?? ((ref) => profileCredentials(ref, { dataDir, local })))(request.name);
  const { profile } = first;
  checkNesting(deps.env, profile.name, request.force);
  const summary = file.profiles.find((p) => p.id === profile.id);

  let server: ExecUriServer | undefined;
  let keys: ExecCredentials = { kind: 'static', credentials: first.credentials };
  if (request.server) {
    // By id: a rename or a new active profile while the command runs changes nothing.
    const renew = async () => (await profileCredentials(profile.id, { dataDir, local })).credentials;
    // node:http and the server only when asked for: `exec -- true` should cost what `credentials` does.
    const { startExecUriServer } = await import('./uri-server.js');
    server = await startExecUriServer(profile.id, renew);
    keys = { kind: 'uri', uri: server.uri };
  }
  try {
    const env = childEnv(deps.env, { name: profile.name, region: summary?.region }, keys);
    const outcome = await runChild(request.command, request.args, env);
    if (outcome.kind === 'not-started') {
      const why = {
        'not-found': 'was not found',
        'not-executable': 'is not executable',
        other: 'could not be started',
      }[outcome.reason];
      deps.err(`alicloud-signin: error INVALID_INPUT: The command "${request.command}" ${why}.`);
    }
    return outcome.status;
  } finally {
    await server?.close();
  }
}
