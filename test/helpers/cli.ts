import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_OUTFILE } from '../../scripts/build-cli.mjs';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  /** Written to stdin, then stdin is closed (headless sign-in). Undefined keeps stdin open. */
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs the built CLI bundle as a person's shell would. */
export function runCli(args: string[], run: CliRun = {}): Promise<CliResult> & { child: ReturnType<typeof spawn> } {
  const child = spawn(process.execPath, [CLI_OUTFILE, ...args], {
    env: { ...process.env, ...run.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  if (run.input !== undefined) child.stdin.end(run.input);
  const timer = setTimeout(() => child.kill('SIGKILL'), run.timeoutMs ?? 60_000);
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return Object.assign(done, { child });
}

/** A fresh data dir and the environment that points the CLI at it. */
export async function freshHome(): Promise<{ home: string; env: NodeJS.ProcessEnv }> {
  const home = await mkdtemp(join(tmpdir(), 'alicloud-signin-home-'));
  return { home, env: { ALICLOUD_SIGNIN_HOME: join(home, 'data') } };
}

export async function writeCaFile(dir: string, pem: string): Promise<string> {
  const file = join(dir, 'ca.pem');
  await writeFile(file, pem);
  return file;
}
