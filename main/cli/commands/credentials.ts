import { parseArgs } from 'node:util';
import { askBroker } from '../../services/broker/client.js';
import type { Services } from '../../services/context.js';
import type { StsCredentials } from '../../services/oss/types.js';
import type { Profile } from '../../services/profiles/schema.js';
import type { CliIO } from '../io.js';
import { json } from '../io.js';
import { optionalName, usage } from './profile.js';

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
  // A running broker owns the refresh token; ask it first, and do the work here only without one.
  const brokered = await askBroker(ref, { dataDir: services.dataDir, format });
  if (brokered) {
    io.out(brokered.text ?? renderCredentials(format, brokered.profile, brokered.credentials));
    return;
  }
  const profile = await services.store.resolve(ref);
  const creds = await services.sts.credentials(profile.id);
  io.out(renderCredentials(format, profile, creds));
}

function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

/** RFC 3339 in whole seconds, UTC (`2006-01-02T15:04:05Z`), the form Alibaba's SDKs parse. */
export function expirationText(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What the aliyun CLI's External mode reads (and the Go SDK, which also reads `expiration`). */
export function externalJson(creds: StsCredentials) {
  return {
    mode: 'StsToken',
    access_key_id: creds.accessKeyId,
    access_key_secret: creds.accessKeySecret,
    sts_token: creds.securityToken,
    expiration: expirationText(creds.expiration),
  };
}

/** The `--format json` shape (README documents it). */
export function credentialsJson(profile: Pick<Profile, 'name'>, creds: StsCredentials) {
  return {
    profile: profile.name,
    accessKeyId: creds.accessKeyId,
    accessKeySecret: creds.accessKeySecret,
    securityToken: creds.securityToken,
    expiration: expirationText(creds.expiration),
  };
}

export function renderCredentials(format: Format, profile: Pick<Profile, 'name'>, creds: StsCredentials): string {
  switch (format) {
    case 'external':
      // One line: a single JSON object and nothing else.
      return JSON.stringify(externalJson(creds));
    case 'json':
      return json(credentialsJson(profile, creds));
    case 'env':
      return [
        `export ALIBABA_CLOUD_ACCESS_KEY_ID=${shellValue(creds.accessKeyId)}`,
        `export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${shellValue(creds.accessKeySecret)}`,
        `export ALIBABA_CLOUD_SECURITY_TOKEN=${shellValue(creds.securityToken)}`,
      ].join('\n');
  }
}

/** Bare when the value is plain base64-ish text (as STS values are), single-quoted otherwise. */
function shellValue(value: string): string {
  return /^[A-Za-z0-9._+/=:-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
