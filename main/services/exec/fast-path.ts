import { askBroker } from '../broker/client.js';
import { dataDir as dataDirOf } from '../core/paths.js';
import type { Services } from '../context.js';
import { parseExecArgs, type ExecRequest } from './args.js';
import { runExec } from './run.js';

/**
 * `exec` with a running broker, before the full CLI loads: the credentials come over the local
 * channel, so the command starts about as soon as `credentials` would answer. Undefined when it
 * did not run the command (no broker, a usage error, a refusal): the full CLI then runs `exec`
 * and says what is wrong. Once the command has started, its exit status is the answer, always.
 */
export async function execFastPath(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number | undefined> {
  let request: ExecRequest;
  try {
    request = parseExecArgs(argv);
  } catch {
    return undefined;
  }
  const dataDir = dataDirOf(env);
  const first = async (ref: string | undefined) => {
    const answer = await askBroker(ref, { dataDir });
    if (!answer) throw new Error('no broker answered');
    return { profile: answer.profile, credentials: answer.credentials, brokered: true };
  };
  const err = (line: string) => void process.stderr.write(`${line}\n`);
  try {
    return await runExec(request, { dataDir, env, err, first, local: localServices(env) });
  } catch {
    // Thrown before the command started (runExec says so): the full CLI reports it.
    return undefined;
  }
}

/** For `--server` renewals should the broker stop while the command runs: this process takes over. */
function localServices(env: NodeJS.ProcessEnv): () => Promise<Services> {
  let services: Promise<Services> | undefined;
  return () => (services ??= import('../context.js').then(({ createServices }) => createServices({ env })));
}
