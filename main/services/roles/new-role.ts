import { AppError } from '../core/errors.js';
import type { Profile, ProfilesFile } from '../profiles/schema.js';
import { findProfile, type NewProfile } from '../store/profile-store.js';
import { chainIn } from './chain.js';
import {
  checkDuration,
  checkExternalId,
  checkSessionName,
  defaultSessionName,
  isRoleIdentity,
  parseRoleArn,
} from './settings.js';

/** What a person gives for a role profile (`profile add NAME --assume-role ARN --from SOURCE ...`). */
export interface RoleProfileRequest {
  name: string;
  roleArn: string;
  from: string;
  sessionName?: string;
  /** Seconds, as typed. */
  duration?: string;
  externalId?: string;
  region?: string;
  stsEndpoint?: string;
  ossEndpoint?: string;
}

/**
 * The profile to store for a role, checked against the profiles as they are: the source exists
 * and its own chain does not loop, the name is not the source's, the duration fits (one hour when
 * the source is a role). Site, application and endpoints come from the source, so `console` and
 * the site's STS endpoint work as they do for it; region and OSS endpoint too unless given.
 */
export async function planRoleProfile(file: ProfilesFile, request: RoleProfileRequest): Promise<NewProfile> {
  const { arn } = parseRoleArn(request.roleArn);
  if (request.from.toLowerCase() === request.name.toLowerCase()) {
    throw new AppError(
      'ROLE_CYCLE',
      `Role profile "${request.name}" cannot take its credentials from itself. Name a profile that signs in (or another role profile) with --from.`,
    );
  }
  const source = findProfile(file, request.from);
  if (!source) {
    throw new AppError(
      'PROFILE_NOT_FOUND',
      `--from names no profile: there is no profile named "${request.from}". Add and sign in to that profile first.`,
    );
  }
  await chainIn(file, source);
  const durationSeconds = checkDuration(request.duration, isRoleIdentity(source), source.name);
  const stsEndpoint = request.stsEndpoint ?? (source.site === 'custom' ? source.role?.stsEndpoint : undefined);
  if (stsEndpoint !== undefined && !isHttps(stsEndpoint)) {
    throw new AppError('INVALID_INPUT', '--sts-endpoint takes an https:// URL, such as https://sts.aliyuncs.com.');
  }
  if (source.site === 'custom' && stsEndpoint === undefined) {
    throw new AppError(
      'INVALID_INPUT',
      `"${source.name}" is on a custom site, which has no known STS endpoint: give one with --sts-endpoint URL.`,
    );
  }
  return {
    name: request.name,
    site: source.site,
    client: source.client,
    ...(source.endpoints ? { endpoints: source.endpoints } : {}),
    region: request.region ?? source.region,
    ...ossEndpoint(request, source),
    role: {
      arn,
      sourceProfileId: source.id,
      sessionName: checkSessionName(request.sessionName ?? defaultSessionName()),
      durationSeconds,
      ...(request.externalId !== undefined ? { externalId: checkExternalId(request.externalId) } : {}),
      ...(stsEndpoint !== undefined ? { stsEndpoint } : {}),
    },
  };
}

/** A stand-in for a planned role profile, to assume the role once before anything is stored. */
export function pendingProfile(planned: NewProfile): Profile {
  const now = new Date().toISOString();
  return {
    ...planned,
    id: 'pending-role-profile',
    status: 'signed-out',
    brokerEnabled: true,
    createdAt: now,
    updatedAt: now,
  };
}

/** The source's OSS endpoint serves the same region; another region gets its own default. */
function ossEndpoint(request: RoleProfileRequest, source: Profile): { ossEndpoint?: string } {
  if (request.ossEndpoint !== undefined) return { ossEndpoint: request.ossEndpoint };
  if (request.region !== undefined && request.region !== source.region) return {};
  return source.ossEndpoint ? { ossEndpoint: source.ossEndpoint } : {};
}

function isHttps(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}
