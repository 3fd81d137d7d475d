import type { ProfileView, RoleDraft } from '../../shared/contract';
import { isHttpsUrl, isRegion, PROFILE_NAME, ROLE_ARN, ROLE_EXTERNAL_ID, ROLE_SESSION_NAME } from '../../shared/fields';
import { freeName } from './profile-form';

/** The "Add role" form as typed; empty text means the use-case's default. */
export interface RoleFormState {
  name: string;
  roleArn: string;
  /** The source profile's id. */
  from: string;
  duration: string;
  sessionName: string;
  externalId: string;
  region: string;
  stsEndpoint: string;
}

export type RoleField = 'name' | 'roleArn' | 'duration' | 'sessionName' | 'externalId' | 'region' | 'stsEndpoint';
/** Keys of `roles.invalid` per field. */
export type RoleErrors = Partial<Record<RoleField, string>>;

/** How the STS endpoint field reads for a source: not shown, optional (and why), or required. */
export type StsNeed = 'hidden' | 'from-source' | 'demo' | 'required';

/**
 * A cn/intl source has its site's STS endpoint; a custom one needs one typed, unless it is a role
 * (its own is taken) or the demo site (the window knows the demo's STS).
 */
export function stsNeed(source: ProfileView | undefined): StsNeed {
  if (!source || source.site !== 'custom') return 'hidden';
  if (source.role) return 'from-source';
  return source.demo ? 'demo' : 'required';
}

/** A new form: the source preselected (the active profile), a name not taken yet. */
export function newRoleForm(profiles: readonly ProfileView[], sourceId?: string): RoleFormState {
  const source = profiles.find((p) => p.id === sourceId) ?? profiles[0];
  return {
    name: freeName(
      'role',
      profiles.map((p) => p.name),
    ),
    roleArn: '',
    from: source?.id ?? '',
    duration: '',
    sessionName: '',
    externalId: '',
    region: '',
    stsEndpoint: '',
  };
}

/**
 * The form checked field by field with the shared rules, and the draft to send when all pass.
 * The duration's bounds (the role's maximum, one hour for a chain) are main's to judge: it says
 * which one with its own code, so only the shape (whole seconds) is checked here.
 */
export function toRoleDraft(
  state: RoleFormState,
  source: ProfileView | undefined,
): { errors: RoleErrors; draft?: RoleDraft } {
  const errors: RoleErrors = {};
  const text = (value: string) => value.trim();
  if (!PROFILE_NAME.test(state.name)) errors.name = 'name';
  if (!ROLE_ARN.test(text(state.roleArn))) errors.roleArn = 'roleArn';
  if (text(state.duration) && !/^\d{1,6}$/.test(text(state.duration))) errors.duration = 'duration';
  if (text(state.sessionName) && !ROLE_SESSION_NAME.test(text(state.sessionName))) errors.sessionName = 'sessionName';
  if (text(state.externalId) && !ROLE_EXTERNAL_ID.test(text(state.externalId))) errors.externalId = 'externalId';
  if (text(state.region) && !isRegion(state.region)) errors.region = 'region';
  const need = stsNeed(source);
  if (need !== 'hidden' && text(state.stsEndpoint) && !isHttpsUrl(state.stsEndpoint)) errors.stsEndpoint = 'url';
  if (need === 'required' && !text(state.stsEndpoint)) errors.stsEndpoint = 'stsRequired';
  if (!source || Object.keys(errors).length > 0) return { errors };

  const draft: RoleDraft = { name: state.name, roleArn: text(state.roleArn), from: source.id };
  if (text(state.duration)) draft.durationSeconds = Number(text(state.duration));
  if (text(state.sessionName)) draft.sessionName = text(state.sessionName);
  if (text(state.externalId)) draft.externalId = text(state.externalId);
  if (text(state.region)) draft.region = text(state.region);
  if (need !== 'hidden' && text(state.stsEndpoint)) draft.stsEndpoint = text(state.stsEndpoint);
  return { errors, draft };
}
