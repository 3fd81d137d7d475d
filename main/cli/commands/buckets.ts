import { parseArgs } from 'node:util';
import { profileBuckets } from '../../services/app/buckets.js';
import type { Services } from '../../services/context.js';
import type { Bucket } from '../../services/oss/types.js';
import type { Profile } from '../../services/profiles/schema.js';
import type { ProfileBuckets } from '../../services/sts/profile-buckets.js';
import type { CliIO } from '../io.js';
import { json } from '../io.js';
import { printable } from '../views.js';
import { optionalName } from '../args.js';

const SYNOPSIS = 'buckets [NAME] [--prefix P] [--json]';

/** Lists every OSS bucket of a profile: a table for people, JSON for scripts, progress on stderr. */
export async function buckets(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { prefix: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const profile = await services.store.resolve(optionalName(positionals, SYNOPSIS));
  const progress = new PageProgress(io);
  let result: ProfileBuckets;
  try {
    result = await profileBuckets(services, profile, {
      ...(values.prefix ? { prefix: values.prefix } : {}),
      onPage: (page) => progress.show(page.page, page.received, page.truncated),
    });
  } finally {
    progress.clear();
  }
  if (values.json) {
    io.out(json(bucketsJson(profile, result)));
    return;
  }
  const count = `${result.buckets.length} bucket${result.buckets.length === 1 ? '' : 's'}`;
  if (result.buckets.length === 0) {
    io.err(`No buckets${values.prefix ? ` starting with "${values.prefix}"` : ''} for profile "${profile.name}".`);
    return;
  }
  io.out(bucketTable(result.buckets));
  io.err(`${count}, owner ${printable(result.owner.id)}, from ${result.endpoint}.`);
}

/** The `buckets --json` shape (README documents it); every key present, null when OSS sent none. */
export function bucketsJson(profile: Pick<Profile, 'name'>, result: ProfileBuckets) {
  return {
    profile: profile.name,
    endpoint: result.endpoint,
    owner: { id: result.owner.id, displayName: result.owner.displayName },
    count: result.buckets.length,
    buckets: result.buckets.map(bucketJson),
  };
}

function bucketJson(bucket: Bucket) {
  return {
    name: bucket.name,
    region: bucket.region,
    location: bucket.location,
    creationDate: bucket.creationDate,
    storageClass: bucket.storageClass || null,
    extranetEndpoint: bucket.extranetEndpoint || null,
    intranetEndpoint: bucket.intranetEndpoint || null,
    resourceGroupId: bucket.resourceGroupId ?? null,
  };
}

/** Every cell is OSS's text, printed without control characters. */
const COLUMNS: ReadonlyArray<[string, (b: Bucket) => string]> = [
  ['NAME', (b) => printable(b.name)],
  ['REGION', (b) => printable(b.region)],
  ['STORAGE CLASS', (b) => printable(b.storageClass)],
  ['CREATED', (b) => printable(b.creationDate.slice(0, 10))],
  ['RESOURCE GROUP', (b) => printable(b.resourceGroupId ?? '-')],
];

/** Aligned columns, one bucket per line, in the order OSS listed them. */
export function bucketTable(list: readonly Bucket[]): string {
  const widths = COLUMNS.map(([title, cell]) => list.reduce((w, b) => Math.max(w, cell(b).length), title.length));
  const row = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [row(COLUMNS.map(([title]) => title))];
  for (const bucket of list) lines.push(row(COLUMNS.map(([, cell]) => cell(bucket))));
  return lines.join('\n');
}

/** One line per page; on a terminal the same line is rewritten. */
class PageProgress {
  #shown = false;
  constructor(private readonly io: CliIO) {}

  show(page: number, received: number, truncated: boolean): void {
    const text = `Listing buckets: page ${page}, ${received} so far${truncated ? '…' : ', done.'}`;
    if (this.io.isTTY) {
      this.io.progress(text);
      this.#shown = true;
    } else {
      this.io.err(text);
    }
  }

  clear(): void {
    if (this.#shown) this.io.progress('');
    this.#shown = false;
  }
}
