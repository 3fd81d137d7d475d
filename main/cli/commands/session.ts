import { parseArgs } from 'node:util';
import { refreshProfile, signInProfile, signOutProfile } from '../../services/app/session.js';
import { describeIdentity } from '../../services/auth/identity.js';
import type { SignInProgress } from '../../services/auth/signin.js';
import { AppError } from '../../services/core/errors.js';
import type { Services } from '../../services/context.js';
import type { CliIO } from '../io.js';
import { json } from '../io.js';
import { printable, profileJson, relative } from '../views.js';
import { optionalName, usage } from '../args.js';

export async function login(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'no-browser': { type: 'boolean' }, timeout: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const ref = optionalName(positionals, 'login [NAME] [--no-browser] [--timeout SECONDS]');
  const timeoutSeconds = values.timeout === undefined ? 300 : Number(values.timeout);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 3600) {
    throw usage('--timeout takes whole seconds from 1 to 3600.');
  }
  const headless = values['no-browser'] === true;
  const countdown = new Countdown(io);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  try {
    const profile = await signInProfile(services, ref, {
      openBrowser: !headless,
      timeoutMs: timeoutSeconds * 1000,
      signal: stop.signal,
      ...(headless ? { pastedUrl: (signal) => pasted(io, signal) } : {}),
      onProgress: (progress) => countdown.show(progress, headless),
    });
    countdown.clear();
    const file = await services.store.read();
    if (values.json) io.out(json(profileJson(profile, file.activeProfileId)));
    else io.out(`Signed in to profile "${profile.name}" as ${printable(describeIdentity(profile.identity))}.`);
  } finally {
    countdown.clear();
    process.off('SIGINT', onSignal);
  }
}

async function pasted(io: CliIO, signal: AbortSignal): Promise<string> {
  try {
    return await io.readLine(
      'Paste the full URL your browser ended on (the page may say it cannot connect), then press Enter:\n> ',
      signal,
    );
  } catch (error) {
    if (signal.aborted) throw error;
    throw new AppError('CALLBACK_INVALID', 'Nothing was pasted: standard input closed before a URL arrived.');
  }
}

/**
 * Progress on stderr: the URL once, then (browser mode, on a terminal) a countdown on one line.
 * Headless mode never redraws anything: the person types into the line after the prompt, so the
 * deadline is said once, as a clock time.
 */
class Countdown {
  #timer: NodeJS.Timeout | undefined;
  #strays = 0;
  constructor(private readonly io: CliIO) {}

  show(progress: SignInProgress, headless: boolean): void {
    switch (progress.kind) {
      case 'exchanging':
        this.clear();
        this.io.err('Got the answer from the browser; finishing the sign-in…');
        return;
      case 'notice':
        this.io.err(`Note: ${progress.text}`);
        return;
      case 'stray':
        this.#stray(progress.reason);
        return;
      case 'waiting':
        this.#waiting(progress, headless);
        return;
    }
  }

  #waiting(progress: Extract<SignInProgress, { kind: 'waiting' }>, headless: boolean): void {
    if (headless) {
      this.io.err(`Open this URL in a browser on any machine and sign in:\n\n  ${progress.url}\n`);
      const until = new Date(progress.deadline).toTimeString().slice(0, 5);
      this.io.err(`Waiting for the sign-in until ${until} (Ctrl+C to cancel).`);
      return;
    }
    this.io.err(progress.browserOpened ? 'Continue in your browser to sign in.' : 'Could not open a browser.');
    this.io.err(`If no browser opened, visit:\n\n  ${progress.url}\n`);
    this.io.err(`Waiting for the sign-in at ${progress.redirectUri} (Ctrl+C to cancel)…`);
    if (!this.io.isTTY) return;
    this.#timer = setInterval(() => {
      const left = Math.max(0, Math.round((progress.deadline - Date.now()) / 1000));
      this.io.progress(`${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left `);
    }, 1000);
    this.#timer.unref();
  }

  /** One line per refused request, a few at most: a flood must not bury the prompt. */
  #stray(reason: string): void {
    this.#strays += 1;
    if (this.#strays > 3) return;
    if (this.#timer) this.io.progress('');
    const more = this.#strays === 3 ? ' Further ones are refused without a word.' : '';
    this.io.err(`Refused a stray request to the sign-in callback (${reason}); still waiting.${more}`);
  }

  clear(): void {
    if (this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.io.progress('');
    }
  }
}

export async function logout(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const { profile, revocation } = await signOutProfile(services, optionalName(positionals, 'logout [NAME] [--json]'));
  if (values.json) {
    io.out(
      json({
        profile: profile.name,
        revocation: revocation.outcome,
        ...(revocation.outcome === 'failed' ? { error: revocation.code } : {}),
      }),
    );
    return;
  }
  io.out(`Signed out of profile "${profile.name}".`);
  const words = {
    revoked: 'The site revoked the refresh token.',
    'not-signed-in': 'It was not signed in.',
    unsupported: 'This site has no revocation endpoint; the keychain entry was deleted.',
    failed: `The site did not confirm the revocation${revocation.outcome === 'failed' ? ` (${revocation.code}: ${printable(revocation.message)})` : ''}; the keychain entry was deleted anyway.`,
  } as const;
  io.err(words[revocation.outcome]);
}

export async function refresh(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const { profile: updated, outcome } = await refreshProfile(
    services,
    optionalName(positionals, 'refresh [NAME] [--json]'),
  );
  if (values.json) {
    io.out(
      json({
        profile: updated.name,
        refreshedBy: outcome.refreshedBy,
        accessTokenExpiresAt: updated.accessTokenExpiresAt ?? null,
      }),
    );
  } else if (outcome.refreshedBy === 'already-fresh') {
    io.out(`Profile "${updated.name}" was refreshed moments ago (perhaps by another process); its sign-in is current.`);
  } else {
    io.out(
      `Refreshed profile "${updated.name}"; the access token now expires ${relative(updated.accessTokenExpiresAt)}.`,
    );
  }
}
