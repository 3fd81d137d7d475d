import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScriptInSession } from '../helpers/keyring-session.js';

// A keychain call stuck on an unlock prompt that nobody answers (a locked keyring, the prompt on
// a desktop the person is not at) must not keep a finished CLI process alive. The prompter here
// never answers for 60 s; the CLI must end within a few seconds of printing its coded error.

const HAS_SESSION = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
const CHILD = fileURLToPath(new URL('../helpers/keychain-stuck-child.ts', import.meta.url));

interface Run {
  command: string;
  code: number | null;
  stdout: string;
  stderr: string;
  errorAfterMs: number | null;
  livedAfterErrorMs: number | null;
}

describe.skipIf(!HAS_SESSION)('a keychain stuck on an unlock prompt (needs dbus-run-session and gnome-keyring)', () => {
  it('does not keep the CLI alive after its coded error; the exit code is the keychain one (whoami needs no unlock)', async () => {
    const session = await runScriptInSession(
      'hung-prompter',
      CHILD,
      ['whoami+demo', 'refresh+demo', 'credentials+demo', 'logout+demo'],
      {
        promptTimeoutMs: 60_000,
      },
    );
    const runs = session.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Run);
    expect(
      runs.map((r) => r.command),
      session.stderr,
    ).toEqual(['whoami+demo', 'refresh+demo', 'credentials+demo', 'logout+demo']);
    // whoami only asks whether the token is there, which the Secret Service answers for a locked
    // keyring without a prompt: it neither waits nor fails.
    const [whoami, ...stuck] = runs;
    expect(whoami?.code, whoami?.stderr).toBe(0);
    expect(whoami?.stdout).toMatch(/Refresh token\s+in the OS keychain/);
    expect(whoami?.errorAfterMs).toBeNull();
    for (const run of stuck) {
      expect(run.stderr, run.command).toMatch(/error KEYCHAIN_(UNAVAILABLE|LOCKED):/);
      expect(run.code, run.command).toBe(5);
      expect(run.errorAfterMs, run.command).toBeLessThan(10_000);
      expect(run.livedAfterErrorMs, `${run.command} lived on after its error`).toBeLessThan(3_000);
    }
  }, 240_000);
});
