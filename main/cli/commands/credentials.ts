import { parseArgs } from 'node:util';
import type { Services } from '../../services/context.js';
import { renderCredentials } from '../../services/broker/render.js';
import { profileCredentials } from '../../services/app/credentials.js';
import type { CliIO } from '../io.js';
import { optionalName, usage } from '../args.js';

const FORMATS = ['external', 'env', 'json'] as const;
type Format = (typeof FORMATS)[number];
const SYNOPSIS = 'credentials [NAME] [--format external|env|json]';

/**
 * Prints temporary STS credentials for a profile. `external` is the aliyun CLI's External mode
 * (`process_command`): exactly one JSON object on stdout. Nothing reaches stdout unless the
 * credentials are in hand, so a failure never leaves partial credentials for a caller to parse.
 */
export async function credentials(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { format: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const format = values.format ?? 'external';
  if (!isFormat(format)) throw usage('--format must be external, env or json.');
  const ref = optionalName(positionals, SYNOPSIS);
  // A running broker owns the refresh token: it answers first, and only without one is the work
  // done here (exec gets its credentials the same way). Its answer is fields checked by the
  // client, rendered here: never text it sent.
  const got = await profileCredentials(ref, { dataDir: services.dataDir, format, local: async () => services });
  io.out(renderCredentials(format, got.profile, got.credentials));
}

function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

// The renderers live with the broker client, which the fast path shares; re-exported for the CLI's callers.
export { credentialsJson, externalJson, renderCredentials } from '../../services/broker/render.js';
export { expirationText } from '../../services/broker/uri-body.js';
