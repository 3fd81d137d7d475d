import { addRoleProfile as addRole } from '../../services/app/profiles.js';
import type { Services } from '../../services/context.js';
import { roleOf } from '../../services/roles/settings.js';
import { usage } from '../args.js';
import type { CliIO } from '../io.js';
import { json } from '../io.js';
import { profileJson } from '../views.js';

/** The `profile add` flags of a role profile (the contract of issue 11). */
export const ROLE_OPTIONS = {
  'assume-role': { type: 'string' },
  from: { type: 'string' },
  'session-name': { type: 'string' },
  duration: { type: 'string' },
  'external-id': { type: 'string' },
  'sts-endpoint': { type: 'string' },
} as const;

/** Flags of a profile that signs in itself; a role profile takes all of that from its source. */
const SIGN_IN_ONLY = [
  'site',
  'client-id',
  'scopes',
  'ports',
  'callback-path',
  'redirect',
  'prompt',
  'issuer',
  'authorization-endpoint',
  'token-endpoint',
  'revocation-endpoint',
  'exchange-endpoint',
  'jwks-uri',
] as const;

type Values = Partial<Record<string, string | boolean>>;

/**
 * `profile add NAME --assume-role ARN --from SOURCE [...]`: the flags as a role request; the
 * use-case assumes the role once before storing it, or says why it could not yet.
 */
export async function addRoleProfile(services: Services, io: CliIO, name: string, values: Values): Promise<void> {
  const arn = text(values['assume-role']);
  const from = text(values.from);
  if (!arn || !from)
    throw usage('A role profile needs both --assume-role acs:ram::ACCOUNT:role/ROLE and --from SOURCE.');
  const stray = SIGN_IN_ONLY.filter((flag) => values[flag] !== undefined);
  if (stray.length > 0) {
    throw usage(
      `--${stray.join(', --')} do not apply to a role profile: it signs in through --from, whose site, application and endpoints it uses.`,
    );
  }
  const { profile, unchecked } = await addRole(services, {
    name,
    roleArn: arn,
    from,
    ...optional('sessionName', values['session-name']),
    ...optional('duration', values.duration),
    ...optional('externalId', values['external-id']),
    ...optional('region', values.region),
    ...optional('stsEndpoint', values['sts-endpoint']),
    ...optional('ossEndpoint', values['oss-endpoint']),
  });
  const file = await services.store.read();
  const source = file.profiles.find((p) => p.id === profile.role?.sourceProfileId)?.name ?? from;
  if (values.json) {
    io.out(json(profileJson(profile, file.activeProfileId, source)));
  } else {
    const role = roleOf(profile);
    io.out(
      `Added role profile "${profile.name}": role ${role?.roleName} in account ${role?.accountId}, assumed with the credentials of "${source}"` +
        ` (${profile.role?.durationSeconds} s sessions, region ${profile.region}${profile.id === file.activeProfileId ? ', active' : ''}).`,
    );
  }
  io.err(
    unchecked
      ? `Not checked yet (${unchecked.code}: ${unchecked.message}) The role is assumed the first time the profile is used.`
      : `Checked: STS issued credentials for it. Use it: alicloud-signin credentials ${profile.name}`,
  );
}

function text(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function optional<K extends string>(key: K, value: string | boolean | undefined): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}
