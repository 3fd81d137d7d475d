/**
 * Runs inside a private D-Bus session (test/helpers/keyring-session.ts) whose keyring prompter never
 * answers: signs a profile in through the built CLI, locks the keyring, then runs each command
 * given as an argument (words joined by '+') and prints one JSON line per command: its exit code,
 * stderr, when its first error line came and how long the process lived after that.
 */
import { lockLoginKeyring } from './keyring-session.js';
import { customProfileArgs, startFixture } from './signin-fixture.js';

const fx = await startFixture();
try {
  for (const args of [customProfileArgs(fx.provider, 'demo'), ['login', 'demo']]) {
    const result = await fx.cli(args);
    if (result.code !== 0) throw new Error(`${args[0]} failed: ${result.stderr}`);
  }
  lockLoginKeyring();
  for (const command of process.argv.slice(2)) {
    const started = Date.now();
    let errorAt: number | undefined;
    const run = fx.cli(command.split('+'), { timeoutMs: 90_000 });
    run.child.stderr?.on('data', (chunk: Buffer | string) => {
      if (errorAt === undefined && String(chunk).includes('error')) errorAt = Date.now();
    });
    const result = await run;
    const ended = Date.now();
    process.stdout.write(
      `${JSON.stringify({
        command,
        code: result.code,
        stdout: result.stdout,
        stderr: result.stderr,
        errorAfterMs: errorAt === undefined ? null : errorAt - started,
        livedAfterErrorMs: errorAt === undefined ? null : ended - errorAt,
      })}\n`,
    );
  }
} finally {
  await fx.provider.close();
}
