/*
 * Whether a broker serves this data folder, and where: `broker status`, the notes `broker url` and
 * `cli-config link --mode uri` add, and the window's broker line all ask this.
 */
import { brokerRequest } from '../broker/client.js';
import { endpointFile, socketPath } from '../broker/paths.js';
import { brokerPort } from '../broker/settings.js';
import { toAppError, type AppError } from '../core/errors.js';

export interface BrokerDeps {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}

export interface BrokerStatus {
  running: boolean;
  pid: number | null;
  /** The CredentialsURI port: the running broker's, else the one it would listen on. */
  port: number;
  startedAt: string | null;
  socket: string;
  endpointFile: string;
}

/** The `broker status --json` shape (README documents it). */
export async function brokerStatus(deps: BrokerDeps, timeoutMs = 5000): Promise<BrokerStatus> {
  const answer = await brokerRequest({ op: 'status' }, { dataDir: deps.dataDir, ...envOf(deps), timeoutMs });
  const running = answer?.ok && answer.op === 'status' ? answer : undefined;
  return {
    running: Boolean(running),
    pid: running?.pid ?? null,
    port: running?.port ?? (await brokerPort(deps.dataDir, deps.env)),
    startedAt: running?.startedAt ?? null,
    socket: socketPath(deps.dataDir),
    endpointFile: endpointFile(deps.dataDir),
  };
}

/**
 * Whether a credentials URI would be answered now: a broker of ours runs (`running`), none does
 * (`stopped`), or the channel failed its checks (`unknown`, with the reason in words).
 */
export async function brokerAnswering(
  deps: BrokerDeps,
  timeoutMs = 2000,
): Promise<{ state: 'running' } | { state: 'stopped' } | { state: 'unknown'; error: AppError }> {
  try {
    const answer = await brokerRequest({ op: 'status' }, { dataDir: deps.dataDir, ...envOf(deps), timeoutMs });
    return answer?.ok ? { state: 'running' } : { state: 'stopped' };
  } catch (error) {
    return { state: 'unknown', error: toAppError(error) };
  }
}

function envOf(deps: BrokerDeps): { env?: NodeJS.ProcessEnv } {
  return deps.env ? { env: deps.env } : {};
}
