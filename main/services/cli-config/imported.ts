import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ensurePrivateDir } from '../core/paths.js';
import { writeFileAtomic } from '../store/atomic-file.js';

/**
 * Which CLI refresh tokens were imported, and into which profile, by SHA-256 only. The import's
 * verification rotates the token, so the CLI's copy is dead afterwards; presenting it again could
 * make the site revoke the whole grant (RFC 9700 4.14.2). A second import must not try it.
 */
export class ImportedTokens {
  readonly #file: string;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'cli-config', 'imported.json');
  }

  static fingerprint(token: string): string {
    return createHash('sha256').update(token, 'utf8').digest('base64url');
  }

  /** The profile id a token was imported into, if it was. */
  async profileFor(token: string): Promise<string | undefined> {
    return (await this.#read())[ImportedTokens.fingerprint(token)];
  }

  async remember(token: string, profileId: string): Promise<void> {
    const map = await this.#read();
    map[ImportedTokens.fingerprint(token)] = profileId;
    await ensurePrivateDir(path.dirname(this.#file));
    await writeFileAtomic(this.#file, `${JSON.stringify(map, null, 2)}\n`);
  }

  async #read(): Promise<Record<string, string>> {
    try {
      const value: unknown = JSON.parse(await readFile(this.#file, 'utf8'));
      if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
      return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch {
      return {};
    }
  }
}
