import { defaultOssEndpoint, endpointsOf, KNOWN_SITES } from '../services/auth/sites.js';
import type { PortRange, Profile, ProfilesFile } from '../services/profiles/schema.js';
import type { ProfilesSnapshot, ProfileView } from '../../shared/contract.js';
import { roleOf } from '../services/roles/settings.js';
import { isDemoProfile } from '../services/app/demo-profile.js';

/** A profile as the window sees it: no secret, effective endpoints filled in. */
export function toProfileView(profile: Profile, activeProfileId: string | null, sourceName?: string): ProfileView {
  const redirect = profile.client.redirect;
  const role = roleOf(profile);
  const official = profile.site !== 'custom' && profile.client.clientId === KNOWN_SITES[profile.site].officialClientId;
  return {
    id: profile.id,
    name: profile.name,
    site: profile.site,
    demo: isDemoProfile(profile),
    active: profile.id === activeProfileId,
    region: profile.region,
    ossEndpoint: profile.ossEndpoint ?? defaultOssEndpoint(profile.region),
    ossEndpointCustom: profile.ossEndpoint !== undefined,
    clientId: profile.client.clientId,
    officialClient: official,
    redirect: redirect.kind,
    ...(redirect.kind === 'loopback' ? { ports: portsText(redirect.ports) } : {}),
    ...(profile.site === 'custom' && profile.endpoints ? { endpoints: profile.endpoints } : {}),
    authorizationEndpoint: safeAuthorization(profile),
    ...(profile.identity ? { identity: profile.identity } : {}),
    status: profile.status,
    ...(profile.accessTokenExpiresAt ? { accessTokenExpiresAt: profile.accessTokenExpiresAt } : {}),
    ...(profile.refreshTokenExpiresAt ? { refreshTokenExpiresAt: profile.refreshTokenExpiresAt } : {}),
    ...(profile.signedInAt ? { signedInAt: profile.signedInAt } : {}),
    ...(role
      ? { role: { arn: role.arn, accountId: role.accountId, roleName: role.roleName, source: sourceName ?? null } }
      : {}),
  };
}

export function toSnapshot(file: ProfilesFile, clockOffsetMs = 0): ProfilesSnapshot {
  return {
    activeProfileId: file.activeProfileId,
    profiles: file.profiles.map((profile) =>
      toProfileView(
        profile,
        file.activeProfileId,
        file.profiles.find((p) => p.id === profile.role?.sourceProfileId)?.name,
      ),
    ),
    clockOffsetMs,
  };
}

function portsText(ports: PortRange): string {
  if (ports === 0) return 'any';
  return ports.from === ports.to ? String(ports.from) : `${ports.from}-${ports.to}`;
}

function safeAuthorization(profile: Profile): string {
  try {
    return endpointsOf(profile).authorization;
  } catch {
    return '';
  }
}
