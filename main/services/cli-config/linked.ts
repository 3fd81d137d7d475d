import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ensurePrivateDir } from '../core/paths.js';
import { writeFileAtomic } from '../store/atomic-file.js';

const Entry = z.object({ profileId: z.string().min(1), mode: z.enum(['external', 'uri']) });
export type LinkedEntry = z.infer<typeof Entry>;
const LedgerFile = z.object({ files: z.record(z.string(), z.record(z.string(), Entry)) });
type LedgerFile = z.infer<typeof LedgerFile>;

/**
 * Which CLI profiles we linked, per aliyun CLI file. The file itself usually says so (our command,
 * our broker's URL), but the Go SDK rewrites the whole file with a profile struct that has no
 * `credentials_uri`: after that, only this record tells that the profile was ours and which
 * profile it got credentials from. Holds no secret (profile ids and names only).
 */
export class LinkedProfiles {
  readonly #file: string;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'cli-config', 'links.json');
  }

  /** CLI profile name -> what it was linked to, for one aliyun CLI file. */
  async forFile(configFile: string): Promise<Record<string, LinkedEntry>> {
    return (await this.#read()).files[path.resolve(configFile)] ?? {};
  }

  async record(configFile: string, entries: Record<string, LinkedEntry>): Promise<void> {
    if (Object.keys(entries).length === 0) return;
    const ledger = await this.#read();
    const key = path.resolve(configFile);
    ledger.files[key] = { ...ledger.files[key], ...entries };
    await ensurePrivateDir(path.dirname(this.#file));
    await writeFileAtomic(this.#file, `${JSON.stringify(ledger, null, 2)}\n`);
  }

  /** A damaged or missing record reads as empty: it only ever adds what the file itself no longer says. */
  async #read(): Promise<LedgerFile> {
    try {
      const parsed = LedgerFile.safeParse(JSON.parse(await readFile(this.#file, 'utf8')));
      return parsed.success ? parsed.data : { files: {} };
    } catch {
      return { files: {} };
    }
  }
}
