export { assumeRole, STS_API_VERSION, type AssumeRoleInput, type AssumeRoleOutcome } from './assume-role.js';
export {
  chainIn,
  chainText,
  dependentsOf,
  refuseIfSource,
  resolveChain,
  stsEndpointOf,
  type ProfileLookup,
} from './chain.js';
export { pendingProfile, planRoleProfile, type RoleProfileRequest } from './new-role.js';
export { assumeRoleProfile, type RoleCredentialDeps, type RoleCredentials } from './role-credentials.js';
export { canonicalizedQuery, percentEncode, rpcSignature, rpcStringToSign, rpcTimestamp, signRpc } from './rpc-signature.js';
export {
  CHAINED_MAX_SECONDS,
  DEFAULT_DURATION_SECONDS,
  defaultSessionName,
  parseRoleArn,
  roleOf,
  SITE_STS_ENDPOINTS,
  type RoleArn,
} from './settings.js';
