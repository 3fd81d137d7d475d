import { parseArgs } from 'node:util';
import { auditEntries } from '../../services/app/audit.js';
import type { AuditEntry } from '../../services/broker/index.js';
import type { Services } from '../../services/context.js';
import type { CliIO } from '../io.js';
import { json } from '../io.js';
import { usage } from '../args.js';

/** `audit [--json] [--limit N]`: what the broker handed out or refused, newest last. */
export async function audit(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, limit: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw usage('Usage: alicloud-signin audit [--json] [--limit N]');
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
    throw usage('--limit takes a whole number from 1 to 100000.');
  const entries = await auditEntries(services, limit);
  if (values.json) return io.out(json(entries));
  if (entries.length === 0) {
    io.err('The audit log is empty: no credentials were asked for through the broker yet.');
    return;
  }
  for (const entry of entries) io.out(auditLine(entry));
}

/** `2026-01-02T03:04:05.000Z  demo  CredentialsURI  refused (wrong-secret)  x3` */
export function auditLine(entry: AuditEntry): string {
  const outcome = entry.reason ? `${entry.outcome} (${entry.reason})` : entry.outcome;
  const count = entry.count > 1 ? `  x${entry.count} until ${entry.last ?? entry.time}` : '';
  return `${entry.time}  ${(entry.profile ?? '-').padEnd(16)}  ${entry.mode.padEnd(14)}  ${outcome}${count}`;
}
