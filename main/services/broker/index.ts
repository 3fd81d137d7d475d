export { AuditLog, readAudit, rotatedFile, type AuditEntry, type AuditMode, type AuditOutcome } from './audit-log.js';
export { CredentialBroker, type BrokerOutcome, type CredentialSource } from './broker.js';
export {
  askBroker,
  brokerRequest,
  pidAlive,
  reachBroker,
  readEndpoint,
  type BrokerClientOptions,
  type BrokerCredentials,
  type BrokerReach,
} from './client.js';
export { DISABLE_EXTERNAL_ENV, externalProcessWarning } from './env.js';
export type { BrokerEndpoint, CredentialsFormat } from './local-protocol.js';
export { auditFile, BROKER_PORT_ENV, brokerDir, DEFAULT_BROKER_PORT, endpointFile, socketPath } from './paths.js';
export { credentialsJson, externalJson, renderCredentials } from './render.js';
export { brokerPort, parsePort, readBrokerSettings, writeBrokerSettings } from './settings.js';
export { startBroker, type RunningBroker, type StartBrokerOptions } from './start.js';
export { expirationText, successBody } from './uri-body.js';
export { checkUriRequest, credentialsUri, hostAllowed, type UriRequestCheck } from './uri-request.js';
export { newUriSecret, secretsMatch, UriSecrets, uriSecretAccount } from './uri-secrets.js';
export { credentialsUriFor, rotateCredentialsUri, tellBroker, type UriLinkDeps } from './uri-link.js';
export { credentialsFastPath, parseCredentialsArgs } from './fast-path.js';
export { otherHumanUsers, type HumanUser } from './other-users.js';
export { URI_SERVER_LIMITS } from './uri-server.js';
