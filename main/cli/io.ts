import { createInterface } from 'node:readline';
import { escapeControls, printable, printableText } from './printable.js';

/** Where a command writes: results to stdout, everything else to stderr. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /**
   * Rewrites the one status line on stderr (a countdown, a page count); '' clears it. Only for a
   * terminal (isTTY): anything else gets whole lines through `err`.
   */
  progress: (text: string) => void;
  /** Reads one line from stdin (headless sign-in). */
  readLine: (prompt: string, signal: AbortSignal) => Promise<string>;
  isTTY: boolean;
}

export function processIO(): CliIO {
  // `alicloud-signin buckets | head` closes the pipe early; that is not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  // Every line goes through printableText: a server's value that a command forgot to clean still
  // cannot send escape sequences to the terminal. Our own words have no control characters.
  return {
    out: (text) => void process.stdout.write(line(printableText(text))),
    err: (text) => void process.stderr.write(line(printableText(text))),
    progress: (text) => void process.stderr.write(`\r\x1b[K${printable(text)}`),
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
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      outcome();
      rl.close(); // emits 'close' synchronously, hence the flag
      releaseStdin();
    };
    const onAbort = () => finish(() => reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    rl.once('line', (line) => finish(() => resolve(line)));
    rl.once('close', () => finish(() => reject(new Error('stdin closed'))));
  });
}

/**
 * Once a pipe has delivered data, Node keeps reading it, and an open pipe that never ends (ssh
 * without -t, IDE terminals, CI agents) would keep the process alive after the sign-in: stop
 * reading and let the process end when its work is done.
 */
function releaseStdin(): void {
  process.stdin.pause();
  const handle = process.stdin as { unref?: () => void };
  if (typeof handle.unref === 'function') handle.unref();
}

function line(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * Indented JSON in which every control character a terminal could act on is a `\uXXXX` escape:
 * JSON.stringify escapes only C0, and leaves DEL, C1 and the bidi controls raw. Same value.
 */
export function json(value: unknown): string {
  return escapeControls(JSON.stringify(value, null, 2));
}
