import { parseArgs } from 'node:util';
import { defaultClientSettings, defaultOssEndpoint } from '../../services/auth/sites.js';
import { AppError } from '../../services/core/errors.js';
import { Endpoints, PortRange, SiteId, type ClientSettings, type Profile } from '../../services/profiles/schema.js';
import type { Services } from '../../services/context.js';
import { removeProfile } from '../../services/profiles/lifecycle.js';
import { addRoleProfile, ROLE_OPTIONS } from './profile-role.js';
import type { CliIO } from '../io.js';
import { json } from '../io.js';
import { printable, profileJson, profileLine } from '../views.js';

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

export async function profileAdd(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: ADD_OPTIONS, allowPositionals: true, strict: true });
  const name = single(positionals, 'profile add NAME');
  if (values['assume-role'] !== undefined || values.from !== undefined) return addRoleProfile(services, io, name, values);
  const site = SiteId.safeParse(values.site);
  if (!site.success) throw usage('--site must be cn, intl or custom.');
  const endpoints = site.data === 'custom' ? customEndpoints(values) : undefined;
  if (site.data !== 'custom' && hasAnyEndpoint(values)) throw usage('Endpoints can only be set for --site custom.');
  const client = clientSettings(site.data, values);
  const region = values.region ?? 'cn-hangzhou';
  const profile = await services.store.add({
    name,
    site: site.data,
    client,
    ...(endpoints ? { endpoints } : {}),
    region,
    ...(values['oss-endpoint'] ? { ossEndpoint: values['oss-endpoint'] } : {}),
  });
  const file = await services.store.read();
  if (values.json) io.out(json(profileJson(profile, file.activeProfileId)));
  else {
    io.out(
      `Added profile "${profile.name}" (${profile.site}, region ${profile.region}${profile.id === file.activeProfileId ? ', active' : ''}).`,
    );
    io.err(`Next: alicloud-signin login ${profile.name}`);
    if (!values['oss-endpoint'] && site.data !== 'custom') io.err(`OSS endpoint: ${defaultOssEndpoint(region)}`);
  }
}

export async function profileList(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true });
  const file = await services.store.read();
  if (values.json) {
    const active = file.profiles.find((p) => p.id === file.activeProfileId);
    io.out(
      json({
        active: active?.name ?? null,
        profiles: file.profiles.map((p) => profileJson(p, file.activeProfileId, sourceName(file, p))),
      }),
    );
    return;
  }
  if (file.profiles.length === 0) {
    io.err('No profiles yet. Add one: alicloud-signin profile add NAME --site cn');
    return;
  }
  for (const profile of file.profiles) io.out(profileLine(profile, file.activeProfileId, sourceName(file, profile)));
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

export async function useProfile(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const profile = await services.store.setActive(single(positionals, 'use NAME'));
  io.out(`Active profile: ${profile.name}`);
}

type AddValues = {
  [K in keyof typeof ADD_OPTIONS]?: (typeof ADD_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

function clientSettings(site: SiteId, values: AddValues): ClientSettings {
  const base = site === 'custom' ? undefined : defaultClientSettings(site);
  const clientId = values['client-id'] ?? base?.clientId;
  if (!clientId) throw usage('--site custom needs --client-id.');
  const redirectKind = values.redirect ?? 'loopback';
  if (redirectKind !== 'loopback' && redirectKind !== 'scheme') throw usage('--redirect must be loopback or scheme.');
  const scopes = values.scopes?.split(/\s+/).filter(Boolean);
  if (values.nonce !== undefined && values.nonce !== 'on' && values.nonce !== 'off') throw usage('--nonce must be on or off.');
  // cn and intl send what the official CLI sends, which has no nonce: the option is for custom sites.
  if (values.nonce !== undefined && site !== 'custom') throw usage('--nonce can only be set for --site custom.');
  return {
    clientId,
    ...(scopes && scopes.length > 0 ? { scopes } : {}),
    ...(values.prompt ? { prompt: values.prompt } : {}),
    ...(values.nonce === 'off' ? { nonce: false } : {}),
    redirect:
      redirectKind === 'scheme'
        ? { kind: 'scheme' }
        : {
            kind: 'loopback',
            ports:
              values.ports !== undefined
                ? parsePorts(values.ports)
                : base?.redirect.kind === 'loopback'
                  ? base.redirect.ports
                  : 0,
            callbackPath:
              values['callback-path'] ??
              (base?.redirect.kind === 'loopback' ? base.redirect.callbackPath : '/callback'),
          },
  };
}

export function parsePorts(text: string): PortRange {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  const from = Number(match?.[1]);
  const parsed = PortRange.safeParse(from === 0 && !match?.[2] ? 0 : { from, to: Number(match?.[2] ?? match?.[1]) });
  if (!match || !parsed.success)
    throw usage('--ports takes a range like 12345-12349 (1024-65535), one port, or 0 for an ephemeral port.');
  return parsed.data;
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
function sourceName(file: { profiles: Profile[] }, profile: Profile): string | undefined {
  const id = profile.role?.sourceProfileId;
  return id === undefined ? undefined : file.profiles.find((p) => p.id === id)?.name;
}

export function single(positionals: string[], synopsis: string): string {
  if (positionals.length !== 1 || !positionals[0]) throw usage(`Usage: alicloud-signin ${synopsis}`);
  return positionals[0];
}

export function optionalName(positionals: string[], synopsis: string): string | undefined {
  if (positionals.length > 1) throw usage(`Usage: alicloud-signin ${synopsis}`);
  return positionals[0];
}

export function usage(message: string): AppError {
  return new AppError('INVALID_INPUT', message);
}
