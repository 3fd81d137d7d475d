import { once } from 'node:events';
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
import { renderCredentials } from './credentials.js';
import { usage } from './profile.js';

/**
 * `serve [--port N]`: runs the broker in the foreground (headless machines; the desktop app runs
 * the same broker). `--port` is saved, so the CredentialsURI port stays the same across restarts.
 * Ends on SIGINT or SIGTERM.
 */
export async function serve(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { port: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw usage('Usage: alicloud-signin serve [--port N]');
  if (values.port !== undefined)
    await writeBrokerSettings(services.dataDir, { port: parsePort(values.port, '--port') });
  const port = await brokerPort(services.dataDir);
  const warning = externalProcessWarning();
  if (warning) io.err(`warning: ${warning}`);

  const broker = await startBroker({
    dataDir: services.dataDir,
    port,
    store: services.store,
    secrets: services.secrets,
    sts: services.sts,
    render: (format, profile, creds) => renderCredentials(format, profile, creds),
  });
  io.err(
    `Broker running (process ${process.pid}). CredentialsURI: http://127.0.0.1:${broker.port}/v1/credentials/<profile-id>/<secret> ` +
      `(get a profile's URL: alicloud-signin broker url NAME). Local channel: ${broker.socket}. Stop with Ctrl+C.`,
  );
  const signal = await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  await broker.close();
  io.err(`Broker stopped (${String(signal[0] ?? 'signal')}).`);
}
