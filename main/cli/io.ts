import { createInterface } from 'node:readline';

/** Where a command writes: results to stdout, everything else to stderr. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Reads one line from stdin (headless sign-in). */
  readLine: (prompt: string, signal: AbortSignal) => Promise<string>;
  isTTY: boolean;
}

export function processIO(): CliIO {
  // `alicloud-signin buckets | head` closes the pipe early; that is not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    readLine: (prompt, signal) => readLine(prompt, signal),
    isTTY: Boolean(process.stderr.isTTY),
  };
}

function readLine(prompt: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    // Prompt on stderr, so that stdout stays clean for scripts.
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
    process.stderr.write(prompt);
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      settle();
      rl.close(); // emits 'close' synchronously, hence the flag
    };
    const onAbort = () => finish(() => reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    rl.once('line', (line) => finish(() => resolve(line)));
    rl.once('close', () => finish(() => reject(new Error('stdin closed'))));
  });
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
