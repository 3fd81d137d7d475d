export { rotatedFile, type AuditEntry } from './audit-log.js';
export { externalProcessWarning } from './env.js';
export { auditFile } from './paths.js';
export { brokerPort, parsePort, writeBrokerSettings } from './settings.js';
export { startBroker } from './start.js';
export { otherHumanUsers } from './other-users.js';
