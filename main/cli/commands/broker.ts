import { realpathSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { brokerUrl as profileBrokerUrl, rotateBrokerUrl, setBrokerEnabled } from '../../services/app/broker-access.js';
import { brokerAnswering, brokerStatus as readBrokerStatus } from '../../services/app/broker-status.js';
import { cliConfigPath } from '../../services/cli-config/index.js';
import type { Services } from '../../services/context.js';
import { single, usage } from '../args.js';
import type { CliIO } from '../io.js';
import { json } from '../io.js';

/** How to start this CLI again: node and the bundle when run as one, else the name on PATH. */
export function selfArgv(): string[] {
  const script = process.argv[1];
  if (!script || !/\.(mjs|cjs|js)$/.test(script)) return ['alicloud-signin'];
  try {
    return [process.execPath, realpathSync(script)];
  } catch {
    return ['alicloud-signin'];
  }
}

const SYNOPSIS = 'broker enable|disable|rotate|url NAME, or broker status [--json]';

/** `broker enable NAME` / `broker disable NAME`: whether the broker may serve the profile. */
export async function brokerSwitch(on: boolean, services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const profile = await setBrokerEnabled(services, single(positionals, `broker ${on ? 'enable' : 'disable'} NAME`), on);
  io.out(`Profile "${profile.name}" is switched ${on ? 'on' : 'off'} for the broker.`);
  if (!on)
    io.err('Its credentials URI is refused from now on; `alicloud-signin credentials` still works without the broker.');
}

export const brokerEnable = (services: Services, io: CliIO, argv: string[]) => brokerSwitch(true, services, io, argv);
export const brokerDisable = (services: Services, io: CliIO, argv: string[]) => brokerSwitch(false, services, io, argv);

/** `broker url NAME`: the profile's credentials URI (its secret is created on first use). */
export async function brokerUrl(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const { profile, url } = await profileBrokerUrl(services, single(positionals, 'broker url NAME'));
  io.out(url);
  io.err(
    "This URL is a secret: anyone on this machine who has it gets this profile's credentials. Rotate it with: alicloud-signin broker rotate " +
      profile.name,
  );
  if (!profile.brokerEnabled)
    io.err(
      `Profile "${profile.name}" is switched off for the broker; switch it on with: alicloud-signin broker enable ${profile.name}`,
    );
  await warnIfStopped(services, io);
}

/** `broker rotate NAME [--config-path PATH]`: a new secret; the old URL stops working, linked CLI profiles get the new one. */
export async function brokerRotate(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'config-path': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const { profile, url, relinked } = await rotateBrokerUrl(
    services,
    single(positionals, 'broker rotate NAME'),
    cliConfigPath(values['config-path']),
  );
  io.out(url);
  io.err(`The previous credentials URI of "${profile.name}" no longer works.`);
  if (relinked.length > 0)
    io.err(`Updated aliyun CLI profile(s) ${relinked.map((n) => `"${n}"`).join(', ')} to the new URL.`);
}

/** `broker status [--json]`: whether a broker runs, and where. */
export async function brokerStatus(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw usage(`Usage: alicloud-signin ${SYNOPSIS}`);
  const status = await readBrokerStatus(services);
  if (values.json) return io.out(json(status));
  io.out(
    status.running
      ? `Broker running (process ${status.pid}, since ${status.startedAt}): http://127.0.0.1:${status.port}/v1/credentials/..., local channel ${status.socket}`
      : `No broker running. Start one with: alicloud-signin serve (CredentialsURI port ${status.port}).`,
  );
}

/** After printing a credentials URI: says why nothing answers it yet, when nothing does. */
export async function warnIfStopped(services: Services, io: CliIO): Promise<void> {
  const broker = await brokerAnswering(services);
  // The URL is still right; say why no broker can serve it.
  if (broker.state === 'unknown') io.err(`warning: ${broker.error.message}`);
  if (broker.state === 'stopped')
    io.err(
      'No broker is running, so the URL answers nothing yet. Start one with: alicloud-signin serve (or open the desktop app).',
    );
}
