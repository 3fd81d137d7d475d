import { parseArgs } from 'node:util';
import {
  brokerPort,
  externalProcessWarning,
  parsePort,
  startBroker,
  writeBrokerSettings,
} from '../../services/broker/index.js';
import type { Services } from '../../services/context.js';
import type { CliIO } from '../io.js';
import { usage } from '../args.js';

/**
 * `serve [--port N]`: runs the broker in the foreground (headless machines; the desktop app runs
 * the same broker). `--port` wins over $ALICLOUD_SIGNIN_BROKER_PORT and is saved once the broker
 * listens on it, so the CredentialsURI port stays the same across restarts; a port that could not
 * be taken (another broker runs, another program holds it) is not saved.
 * Ends on SIGINT, SIGTERM or SIGHUP (its terminal closed), removing its socket and endpoint file:
 * a broker that is gone must not leave them for a stale client, or another program, to find.
 */
export async function serve(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { port: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw usage('Usage: alicloud-signin serve [--port N]');
  const chosen = values.port === undefined ? undefined : parsePort(values.port, '--port');
  const port = chosen ?? (await brokerPort(services.dataDir));
  const warning = externalProcessWarning();
  if (warning) io.err(`warning: ${warning}`);

  // Listen before starting: a signal that comes while the broker starts still ends it cleanly.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    for (const signal of signals) process.once(signal, () => resolve(signal));
  });
  // A closed terminal (SIGHUP) makes writes to it fail: the last words must not end in a crash.
  process.stderr.on('error', () => undefined);
  const broker = await startBroker({
    dataDir: services.dataDir,
    port,
    store: services.store,
    secrets: services.secrets,
    sts: services.sts,
  });
  if (chosen !== undefined) {
    try {
      await writeBrokerSettings(services.dataDir, { port: chosen });
    } catch (error) {
      await broker.close();
      throw error;
    }
  }
  io.err(
    `Broker running (process ${process.pid}). CredentialsURI: http://127.0.0.1:${broker.port}/v1/credentials/<profile-id>/<secret> ` +
      `(get a profile's URL: alicloud-signin broker url NAME). Local channel: ${broker.socket}. Stop with Ctrl+C.`,
  );
  const signal = await stopped;
  await broker.close();
  io.err(`Broker stopped (${signal}).`);
}
