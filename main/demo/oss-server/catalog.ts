import { escapeXml } from '../../services/oss/xml.js';
import { toBucket, type SeedBucket } from './seed.js';

interface Entry {
  name: string;
  resourceGroupId?: string;
  /** The `<Bucket>...</Bucket>` element, built once. */
  xml: string;
}

export interface PageQuery {
  prefix: string;
  marker: string;
  maxKeys: number;
  resourceGroupId?: string;
}

export interface Page {
  xml: string[];
  truncated: boolean;
  nextMarker?: string;
}

/**
 * Buckets sorted by name, with a sorted list per resource group, so a page is two binary
 * searches and a slice of prebuilt XML fragments.
 */
export class BucketCatalog {
  readonly #byName = new Map<string, Entry>();
  #all: Entry[] = [];
  #byGroup = new Map<string, Entry[]>();

  add(buckets: readonly SeedBucket[]): void {
    for (const seed of buckets) {
      const bucket = toBucket(seed);
      this.#byName.set(bucket.name, {
        name: bucket.name,
        ...(bucket.resourceGroupId ? { resourceGroupId: bucket.resourceGroupId } : {}),
        xml: bucketXml(bucket),
      });
    }
    this.#all = [...this.#byName.values()].sort((a, b) => compare(a.name, b.name));
    this.#byGroup = new Map();
    for (const entry of this.#all) {
      if (entry.resourceGroupId === undefined) continue;
      let list = this.#byGroup.get(entry.resourceGroupId);
      if (!list) this.#byGroup.set(entry.resourceGroupId, (list = []));
      list.push(entry);
    }
  }

  get size(): number {
    return this.#all.length;
  }

  /** Names strictly after `marker`, starting with `prefix`, in the group if one is given. */
  page(q: PageQuery): Page {
    const list = q.resourceGroupId === undefined ? this.#all : (this.#byGroup.get(q.resourceGroupId) ?? []);
    let start = q.prefix ? lowerBound(list, q.prefix) : 0;
    if (q.marker) start = Math.max(start, upperBound(list, q.marker));
    const end = q.prefix ? lowerBound(list, prefixEnd(q.prefix), start) : list.length;
    const stop = Math.min(end, start + q.maxKeys);
    const xml: string[] = [];
    for (let i = start; i < stop; i++) xml.push((list[i] as Entry).xml);
    const truncated = stop < end;
    const last = list[stop - 1];
    return truncated && last ? { xml, truncated, nextMarker: last.name } : { xml, truncated: false };
  }
}

function bucketXml(b: ReturnType<typeof toBucket>): string {
  return (
    '<Bucket>' +
    `<CreationDate>${escapeXml(b.creationDate)}</CreationDate>` +
    `<ExtranetEndpoint>${escapeXml(b.extranetEndpoint)}</ExtranetEndpoint>` +
    `<IntranetEndpoint>${escapeXml(b.intranetEndpoint)}</IntranetEndpoint>` +
    `<Location>${escapeXml(b.location)}</Location>` +
    `<Name>${escapeXml(b.name)}</Name>` +
    `<Region>${escapeXml(b.region)}</Region>` +
    (b.resourceGroupId ? `<ResourceGroupId>${escapeXml(b.resourceGroupId)}</ResourceGroupId>` : '') +
    `<StorageClass>${escapeXml(b.storageClass)}</StorageClass>` +
    '</Bucket>'
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** First index whose name is >= key. */
function lowerBound(list: readonly Entry[], key: string, from = 0): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as Entry).name < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose name is > key. */
function upperBound(list: readonly Entry[], key: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as Entry).name <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The smallest string greater than every string starting with `prefix`. */
function prefixEnd(prefix: string): string {
  return prefix + '\uffff';
}
