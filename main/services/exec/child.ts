import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { isatty } from 'node:tty';

/** Passed on to the command while it runs (SIGKILL and SIGSTOP cannot be caught). */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGWINCH',
];

/**
 * Keys a terminal sends to its whole foreground process group, the command included. Passing them
 * on as well would deliver them twice, and Terraform, for one, takes a second Ctrl+C as "stop
 * now, whatever the state".
 */
const KEYBOARD_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];

export type ChildOutcome =
  | { kind: 'exited'; status: number }
  | { kind: 'not-started'; reason: 'not-found' | 'not-executable' | 'other'; status: number };

export interface RunChildOptions {
  /** Whether a terminal is attached (keyboard signals reach the command without us). */
  terminal?: boolean;
}

/**
 * Runs the command with the terminal's stdin, stdout and stderr, passes signals on while it
 * runs, and settles with its exit status: a command ended by a signal gives 128 + the signal's
 * number, as a shell reports it. A command that cannot start gives 127 (not found) or 126 (not
 * executable), as a shell does.
 */
export function runChild(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: RunChildOptions = {},
): Promise<ChildOutcome> {
  const terminal = options.terminal ?? [0, 1, 2].some((fd) => isatty(fd));
  const forwarded = FORWARDED_SIGNALS.filter((signal) => !(terminal && KEYBOARD_SIGNALS.includes(signal)));
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    const handlers = new Map<NodeJS.Signals, () => void>();
    const finish = (outcome: ChildOutcome) => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      handlers.clear();
      resolve(outcome);
    };
    const forward = (signal: NodeJS.Signals) => {
      try {
        child.kill(signal);
      } catch {
        // already gone: its exit is on its way
      }
    };
    // Listening also keeps exec itself alive on the keyboard signals it does not forward.
    for (const signal of FORWARDED_SIGNALS) {
      const handler = forwarded.includes(signal) ? () => forward(signal) : () => {};
      try {
        process.on(signal, handler);
        handlers.set(signal, handler);
      } catch {
        // Not a signal this platform can listen for (Windows has no SIGUSR1, SIGQUIT, ...).
      }
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      // Emitted when the command could not start (it never ran), or when a signal could not be sent.
      if (child.pid !== undefined) return;
      if (error.code === 'ENOENT') finish({ kind: 'not-started', reason: 'not-found', status: 127 });
      else if (error.code === 'EACCES') finish({ kind: 'not-started', reason: 'not-executable', status: 126 });
      else finish({ kind: 'not-started', reason: 'other', status: 126 });
    });
    child.once('exit', (code, signal) => {
      const status = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      finish({ kind: 'exited', status });
    });
  });
}
