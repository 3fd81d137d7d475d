import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog, readAudit, rotatedFile } from '../../../main/services/broker/audit-log.js';

describe('audit log', () => {
  it('writes JSONL with time, profile, mode and outcome, coalescing a burst into one line', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'audit-')), 'broker', 'audit.jsonl');
    const log = new AuditLog(file, { flushMs: 10_000 });
    for (let i = 0; i < 1000; i += 1) log.record({ profile: 'demo', mode: 'CredentialsURI', outcome: 'ok' });
    log.record({ profile: null, mode: 'CredentialsURI', outcome: 'refused', reason: 'origin' });
    await log.flush();
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({ profile: 'demo', mode: 'CredentialsURI', outcome: 'ok', count: 1000 }),
      expect.objectContaining({
        profile: null,
        mode: 'CredentialsURI',
        outcome: 'refused',
        reason: 'origin',
        count: 1,
      }),
    ]);
    expect(Date.parse(lines[0].time)).not.toBeNaN();
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readAudit(file)).toHaveLength(2);
  });

  it('stays bounded: past maxBytes it rotates to .1 and keeps at most two files', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'audit-')), 'audit.jsonl');
    const log = new AuditLog(file, { maxBytes: 2000, flushMs: 10_000 });
    for (let i = 0; i < 200; i += 1) {
      log.record({ profile: `p${i}`, mode: 'External', outcome: 'error', reason: 'NOT_SIGNED_IN' });
      if (i % 10 === 0) await log.flush();
    }
    await log.flush();
    const sizes = await Promise.all([file, rotatedFile(file)].map(async (f) => (await stat(f)).size));
    expect(sizes.every((s) => s <= 2000)).toBe(true);
    const entries = await readAudit(file, 1000);
    expect(entries.at(-1)?.profile).toBe('p199');
    expect(entries.length).toBeLessThan(200);
  });
});
