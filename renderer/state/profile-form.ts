import type { ProfileChanges, ProfileDraft, ProfileView } from '../../shared/contract';
import { isHttpsUrl, isRegion, parsePortRange, PROFILE_NAME } from '../../shared/fields';

export type Preset = ProfileDraft['preset'];
export const PRESETS: readonly Preset[] = ['cn', 'intl', 'own-app', 'demo'];
export const ENDPOINT_KEYS = ['issuer', 'authorization', 'token', 'revocation', 'exchange', 'jwks'] as const;
type EndpointKey = (typeof ENDPOINT_KEYS)[number];
const REQUIRED_ENDPOINTS: readonly EndpointKey[] = ['issuer', 'authorization', 'token', 'jwks'];

export interface FormState {
  preset: Preset;
  name: string;
  region: string;
  clientId: string;
  appSite: 'cn' | 'intl';
  redirect: 'loopback' | 'scheme';
  ports: string;
  ossEndpoint: string;
  endpoints: Record<EndpointKey, string>;
}

/** Keys of `form.invalid` per field. */
export type FieldErrors = Partial<
  Record<'name' | 'region' | 'clientId' | 'ports' | 'ossEndpoint' | 'endpoints' | EndpointKey, string>
>;

const DEFAULT_NAMES: Record<Preset, string> = {
  cn: 'aliyun-cn',
  intl: 'aliyun-intl',
  'own-app': 'my-app',
  demo: 'demo',
};
const DEFAULT_REGIONS: Record<Preset, string> = {
  cn: 'cn-hangzhou',
  intl: 'ap-southeast-1',
  'own-app': 'cn-hangzhou',
  demo: 'cn-hangzhou',
};

function emptyEndpoints(): Record<EndpointKey, string> {
  return { issuer: '', authorization: '', token: '', revocation: '', exchange: '', jwks: '' };
}

/** A name not yet taken: "demo", then "demo-2", "demo-3"… */
export function freeName(base: string, taken: readonly string[]): string {
  const lower = new Set(taken.map((name) => name.toLowerCase()));
  if (!lower.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) if (!lower.has(`${base}-${n}`.toLowerCase())) return `${base}-${n}`;
}

export function newForm(preset: Preset, taken: readonly string[]): FormState {
  return {
    preset,
    name: freeName(DEFAULT_NAMES[preset], taken),
    region: DEFAULT_REGIONS[preset],
    clientId: '',
    appSite: 'cn',
    redirect: 'loopback',
    ports: '',
    ossEndpoint: '',
    endpoints: emptyEndpoints(),
  };
}

export function editForm(profile: ProfileView): FormState {
  return {
    preset: profile.demo ? 'demo' : profile.officialClient ? (profile.site === 'intl' ? 'intl' : 'cn') : 'own-app',
    name: profile.name,
    region: profile.region,
    clientId: profile.clientId,
    appSite: profile.site === 'intl' ? 'intl' : 'cn',
    redirect: profile.redirect,
    ports: profile.ports && profile.ports !== 'any' ? profile.ports : '',
    ossEndpoint: profile.ossEndpointCustom ? profile.ossEndpoint : '',
    endpoints: { ...emptyEndpoints(), ...(profile.endpoints ?? {}) },
  };
}

function checkCommon(state: FormState, errors: FieldErrors): void {
  if (!PROFILE_NAME.test(state.name)) errors.name = 'name';
  if (state.preset !== 'demo' && !isRegion(state.region)) errors.region = 'region';
  if (state.ossEndpoint.trim() && !isHttpsUrl(state.ossEndpoint)) errors.ossEndpoint = 'url';
  if (state.preset === 'own-app' && !state.clientId.trim()) errors.clientId = 'clientId';
}

/** Endpoints only for your own application: all required ones, or none. */
function endpointsOf(state: FormState, errors: FieldErrors): ProfileDraft['endpoints'] | undefined {
  if (state.preset !== 'own-app') return undefined;
  const filled = ENDPOINT_KEYS.filter((key) => state.endpoints[key].trim());
  if (filled.length === 0) return undefined;
  for (const key of filled) if (!isHttpsUrl(state.endpoints[key])) errors[key] = 'url';
  if (REQUIRED_ENDPOINTS.some((key) => !state.endpoints[key].trim())) errors.endpoints = 'endpoints';
  const value = (key: EndpointKey) => state.endpoints[key].trim() || undefined;
  return {
    issuer: value('issuer') ?? '',
    authorization: value('authorization') ?? '',
    token: value('token') ?? '',
    jwks: value('jwks') ?? '',
    ...(value('revocation') ? { revocation: value('revocation') } : {}),
    ...(value('exchange') ? { exchange: value('exchange') } : {}),
  };
}

export function toDraft(state: FormState): { errors: FieldErrors; draft?: ProfileDraft } {
  const errors: FieldErrors = {};
  checkCommon(state, errors);
  const ports = state.preset === 'own-app' && state.redirect === 'loopback' ? parsePortRange(state.ports) : undefined;
  if (ports === null) errors.ports = 'ports';
  const endpoints = endpointsOf(state, errors);
  if (Object.keys(errors).length > 0) return { errors };
  const draft: ProfileDraft = { name: state.name, preset: state.preset };
  if (state.preset !== 'demo') draft.region = state.region;
  if (state.preset !== 'demo' && state.ossEndpoint.trim()) draft.ossEndpoint = state.ossEndpoint.trim();
  if (state.preset === 'own-app') {
    Object.assign(draft, { clientId: state.clientId.trim(), site: state.appSite, redirect: state.redirect });
    if (ports !== undefined && ports !== null) draft.ports = ports;
    if (endpoints) draft.endpoints = endpoints;
  }
  return { errors, draft };
}

/** Only what changed, for an edit. */
export function toChanges(state: FormState, profile: ProfileView): { errors: FieldErrors; changes?: ProfileChanges } {
  const errors: FieldErrors = {};
  checkCommon(state, errors);
  // A role's site settings are its source's (copied when it was added): never edited here.
  const endpoints =
    profile.site === 'custom' && !profile.demo && !profile.role
      ? endpointsOf({ ...state, preset: 'own-app' }, errors)
      : undefined;
  if (Object.keys(errors).length > 0) return { errors };
  const changes: ProfileChanges = {};
  if (state.name !== profile.name) changes.name = state.name;
  if (!profile.demo && state.region !== profile.region) changes.region = state.region;
  const oss = state.ossEndpoint.trim();
  if (!profile.demo && oss !== (profile.ossEndpointCustom ? profile.ossEndpoint : ''))
    changes.ossEndpoint = oss || null;
  if (state.preset === 'own-app' && !profile.role) {
    if (state.clientId.trim() !== profile.clientId) changes.clientId = state.clientId.trim();
    if (state.redirect !== profile.redirect) changes.redirect = state.redirect;
  }
  const before: Partial<Record<EndpointKey, string>> = profile.endpoints ?? {};
  const after: Partial<Record<EndpointKey, string>> = endpoints ?? {};
  if (endpoints && ENDPOINT_KEYS.some((key) => (after[key] ?? '') !== (before[key] ?? '')))
    changes.endpoints = endpoints;
  return { errors, changes };
}
