import { parseArgs } from 'node:util';
import { parsePortRange } from '../../../shared/fields.js';
import { addProfile, removeProfile } from '../../services/app/profiles.js';
import type { ProfileInput } from '../../services/app/profile-input.js';
import { defaultOssEndpoint } from '../../services/auth/sites.js';
import type { Services } from '../../services/context.js';
import { Endpoints, SiteId, type PortRange } from '../../services/profiles/schema.js';
import { single, usage } from '../args.js';
import type { CliIO } from '../io.js';
import { json } from '../io.js';
import { printable, profileJson } from '../views.js';
import { addRoleProfile, ROLE_OPTIONS } from './profile-role.js';

const ADD_OPTIONS = {
  site: { type: 'string' },
  'client-id': { type: 'string' },
  scopes: { type: 'string' },
  ports: { type: 'string' },
  'callback-path': { type: 'string' },
  redirect: { type: 'string' },
  prompt: { type: 'string' },
  nonce: { type: 'string' },
  region: { type: 'string' },
  issuer: { type: 'string' },
  'authorization-endpoint': { type: 'string' },
  'token-endpoint': { type: 'string' },
  'revocation-endpoint': { type: 'string' },
  'exchange-endpoint': { type: 'string' },
  'jwks-uri': { type: 'string' },
  'oss-endpoint': { type: 'string' },
  json: { type: 'boolean' },
  ...ROLE_OPTIONS,
} as const;

/** `--region`'s documented default, whatever the site. */
const CLI_DEFAULT_REGION = 'cn-hangzhou';

export async function profileAdd(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: ADD_OPTIONS, allowPositionals: true, strict: true });
  const name = single(positionals, 'profile add NAME');
  if (values['assume-role'] !== undefined || values.from !== undefined)
    return addRoleProfile(services, io, name, values);
  const input = profileInput(name, values);
  const profile = await addProfile(services, input);
  const file = await services.store.read();
  if (values.json) io.out(json(profileJson(profile, file.activeProfileId)));
  else {
    io.out(
      `Added profile "${profile.name}" (${profile.site}, region ${profile.region}${profile.id === file.activeProfileId ? ', active' : ''}).`,
    );
    io.err(`Next: alicloud-signin login ${profile.name}`);
    if (!values['oss-endpoint'] && input.site !== 'custom')
      io.err(`OSS endpoint: ${defaultOssEndpoint(profile.region)}`);
  }
}

/** The flags as a ProfileInput (the use-case builds and checks the profile itself). */
function profileInput(name: string, values: AddValues): ProfileInput {
  const site = SiteId.safeParse(values.site);
  if (!site.success) throw usage('--site must be cn, intl or custom.');
  if (site.data !== 'custom' && hasAnyEndpoint(values)) throw usage('Endpoints can only be set for --site custom.');
  const redirect = values.redirect ?? 'loopback';
  if (redirect !== 'loopback' && redirect !== 'scheme') throw usage('--redirect must be loopback or scheme.');
  if (values.nonce !== undefined && values.nonce !== 'on' && values.nonce !== 'off')
    throw usage('--nonce must be on or off.');
  const scopes = values.scopes?.split(/\s+/).filter(Boolean);
  return {
    name,
    site: site.data,
    ...(values['client-id'] !== undefined ? { clientId: values['client-id'] } : {}),
    ...(scopes && scopes.length > 0 ? { scopes } : {}),
    ...(values.prompt ? { prompt: values.prompt } : {}),
    ...(values.nonce !== undefined ? { nonce: values.nonce === 'on' } : {}),
    redirect,
    ...(values.ports !== undefined ? { ports: portsFlag(values.ports) } : {}),
    ...(values['callback-path'] !== undefined ? { callbackPath: values['callback-path'] } : {}),
    ...(site.data === 'custom' ? { endpoints: customEndpoints(values) } : {}),
    region: values.region ?? CLI_DEFAULT_REGION,
    ...(values['oss-endpoint'] ? { ossEndpoint: values['oss-endpoint'] } : {}),
  };
}

export async function profileRemove(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const name = single(positionals, 'profile remove NAME');
  // The window's removal too: a role's source stays; signed out first, so no refresh token
  // outlives its profile.
  const { profile, revocation } = await removeProfile(services, name);
  io.out(`Removed profile "${profile.name}".`);
  if (revocation.outcome === 'failed')
    io.err(`warning ${revocation.code}: the site did not confirm the revocation (${printable(revocation.message)})`);
}

type AddValues = {
  [K in keyof typeof ADD_OPTIONS]?: (typeof ADD_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** `--ports 12345-12349`, one port, or 0 (any free port). */
function portsFlag(text: string): PortRange {
  const ports = parsePortRange(text);
  if (ports === undefined || ports === null)
    throw usage('--ports takes a range like 12345-12349 (1024-65535), one port, or 0 for an ephemeral port.');
  return ports;
}

function customEndpoints(values: AddValues): Endpoints {
  const parsed = Endpoints.safeParse({
    issuer: values.issuer,
    authorization: values['authorization-endpoint'],
    token: values['token-endpoint'],
    revocation: values['revocation-endpoint'],
    exchange: values['exchange-endpoint'],
    jwks: values['jwks-uri'],
  });
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw usage(
      `--site custom needs https:// URLs for --issuer, --authorization-endpoint, --token-endpoint and --jwks-uri (check: ${fields}).`,
    );
  }
  return parsed.data;
}

function hasAnyEndpoint(values: AddValues): boolean {
  return [
    'issuer',
    'authorization-endpoint',
    'token-endpoint',
    'revocation-endpoint',
    'exchange-endpoint',
    'jwks-uri',
  ].some((key) => values[key as keyof AddValues] !== undefined);
}

/** The name of a role profile's source, for printing. */
