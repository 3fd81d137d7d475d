import { demoProfileInput, type DemoSiteAddress } from '../services/app/demo-profile.js';
import { DEFAULT_CALLBACK_PATH, DEFAULT_REGION, type ProfileInput } from '../services/app/profile-input.js';
import { AppError } from '../services/core/errors.js';
import type { Profile } from '../services/profiles/schema.js';
import type { RoleProfileRequest } from '../services/roles/new-role.js';
import type { ParsedRequestOf } from '../../shared/contract.js';

/**
 * What the window's add form sent, as the use-case's input (addProfile builds the profile). The
 * demo preset needs the running demo site. Your own application listens on any loopback port
 * unless the form names ports: a registered redirect URI is the application owner's choice.
 */
export function inputFromDraft(draft: ParsedRequestOf<'profiles:add'>, demo?: DemoSiteAddress): ProfileInput {
  switch (draft.preset) {
    case 'cn':
    case 'intl':
      return {
        name: draft.name,
        site: draft.preset,
        region: draft.region ?? DEFAULT_REGION[draft.preset],
        ...(draft.ossEndpoint ? { ossEndpoint: draft.ossEndpoint } : {}),
      };
    case 'own-app': {
      if (!draft.clientId) throw new AppError('INVALID_INPUT', 'Your own application needs its client ID (AppId).');
      const site = draft.site ?? 'cn';
      return {
        name: draft.name,
        site: draft.endpoints ? 'custom' : site,
        clientId: draft.clientId,
        redirect: draft.redirect ?? 'loopback',
        ports: draft.ports ?? 0,
        callbackPath: DEFAULT_CALLBACK_PATH,
        ...(draft.endpoints ? { endpoints: draft.endpoints } : {}),
        region: draft.region ?? DEFAULT_REGION[site],
        ...(draft.ossEndpoint ? { ossEndpoint: draft.ossEndpoint } : {}),
      };
    }
    case 'demo':
      if (!demo) throw new AppError('INTERNAL', 'The demo site is not running.');
      return demoProfileInput(draft.name, demo);
  }
}

/**
 * The window's "Add role" as the use-case's request (addRoleProfile, as `profile add --assume-role`).
 * The source goes by its name, as on the command line, so naming the new profile after its source
 * is the same ROLE_CYCLE there and here. A demo profile's role assumes at the running demo's STS
 * unless the form names another (the person cannot know its port).
 */
export function roleRequestFromDraft(
  draft: ParsedRequestOf<'profiles:add-role'>,
  source: Profile,
  demoStsEndpoint?: string,
): RoleProfileRequest {
  const stsEndpoint = draft.stsEndpoint ?? (source.role ? undefined : demoStsEndpoint);
  return {
    name: draft.name,
    roleArn: draft.roleArn,
    from: source.name,
    ...(draft.sessionName !== undefined ? { sessionName: draft.sessionName } : {}),
    ...(draft.durationSeconds !== undefined ? { duration: String(draft.durationSeconds) } : {}),
    ...(draft.externalId !== undefined ? { externalId: draft.externalId } : {}),
    ...(draft.region !== undefined ? { region: draft.region } : {}),
    ...(stsEndpoint !== undefined ? { stsEndpoint } : {}),
  };
}
