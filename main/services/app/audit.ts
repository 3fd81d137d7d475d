import { readAudit, type AuditEntry } from '../broker/audit-log.js';
import { auditFile } from '../broker/paths.js';

/**
 * What the broker handed out or refused, newest last: the last `limit` entries of the audit log
 * (`audit`, the window's audit view and each profile's "last used").
 */
export function auditEntries(deps: { dataDir: string }, limit: number): Promise<AuditEntry[]> {
  return readAudit(auditFile(deps.dataDir), limit);
}
