import { parseArgs } from 'node:util';
import { consoleUrl, openConsole, type ConsoleDeps } from '../../services/app/console.js';
import { profileCredentials } from '../../services/app/credentials.js';
import type { Services } from '../../services/context.js';
import { optionalName } from '../args.js';
import type { CliIO } from '../io.js';

const SYNOPSIS = 'console [NAME] [--destination URL] [--print]';

/**
 * `console [NAME] [--destination URL] [--print]`: signs the browser in to the Alibaba Cloud
 * console as this profile (federation with its STS credentials). The URL signs in whoever opens
 * it within 30 seconds: it goes to the browser through a private page (never on a command line,
 * which every local user can read), or to stdout with --print, and nowhere else.
 */
export async function consoleCommand(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { destination: { type: 'string' }, print: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const profile = await services.store.resolve(optionalName(positionals, SYNOPSIS));
  const deps: ConsoleDeps = {
    dataDir: services.dataDir,
    fetch: services.fetch,
    // A running broker owns the refresh token: it is asked first.
    credentials: async (p) =>
      (await profileCredentials(p.id, { dataDir: services.dataDir, format: 'json', local: async () => services }))
        .credentials,
    open: services.openBrowser,
  };
  const destination = values.destination !== undefined ? { destination: values.destination } : {};
  if (values.print) {
    io.out(await consoleUrl(deps, { profile, ...destination }));
    io.err('This link signs whoever opens it in to the console as this profile; it works once, within 30 seconds.');
    return;
  }
  // Ctrl+C while the page waits to be read still deletes it.
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await openConsole(deps, {
      profile,
      ...destination,
      signal: stop.signal,
      onOpened: () => io.err(`Opened the Alibaba Cloud console as "${profile.name}" in your browser.`),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
