import { badResponse } from './errors.js';
import type { Bucket, BucketOwner } from './types.js';
import { readXml, XmlError, type XmlVisitor } from './xml.js';

export interface PageResult {
  owner: BucketOwner;
  buckets: Bucket[];
  /** Present only when OSS said the list is truncated. */
  nextMarker?: string;
}

const ROOT_NAME = 'ListAllMyBucketsResult';

// What an open element is: a container, a leaf whose text is kept, or IGNORED (an element OSS may
// add one day, such as Prefix or MaxKeys today, read for well-formedness only, with its subtree).
const DOCUMENT = 0;
const LIST = 1;
const OWNER = 2;
const BUCKETS = 3;
const BUCKET = 4;
const FIRST_LEAF = 5;
const IS_TRUNCATED = 5;
const NEXT_MARKER = 6;
const OWNER_ID = 7;
const DISPLAY_NAME = 8;
/** The leaves of a Bucket; `fields[kind - NAME]` holds their text. */
const NAME = 9;
const LOCATION = 10;
const CREATION_DATE = 11;
const REGION = 12;
const STORAGE_CLASS = 13;
const EXTRANET = 14;
const INTRANET = 15;
const RESOURCE_GROUP = 16;
const IGNORED = 17;

const ELEMENT_NAMES = [
  '',
  ROOT_NAME,
  'Owner',
  'Buckets',
  'Bucket',
  'IsTruncated',
  'NextMarker',
  'ID',
  'DisplayName',
  'Name',
  'Location',
  'CreationDate',
  'Region',
  'StorageClass',
  'ExtranetEndpoint',
  'IntranetEndpoint',
  'ResourceGroupId',
] as const;

/**
 * The kind of a Bucket's child element. By length first: a Map lookup hashes every freshly read
 * name, and this runs 8,000 times a page.
 */
function bucketField(name: string): number {
  switch (name.length) {
    case 4:
      return name === 'Name' ? NAME : IGNORED;
    case 6:
      return name === 'Region' ? REGION : IGNORED;
    case 8:
      return name === 'Location' ? LOCATION : IGNORED;
    case 12:
      return name === 'CreationDate' ? CREATION_DATE : name === 'StorageClass' ? STORAGE_CLASS : IGNORED;
    case 15:
      return name === 'ResourceGroupId' ? RESOURCE_GROUP : IGNORED;
    case 16:
      return name === 'ExtranetEndpoint' ? EXTRANET : name === 'IntranetEndpoint' ? INTRANET : IGNORED;
    default:
      return IGNORED;
  }
}

function listChild(name: string): number {
  if (name === 'Owner') return OWNER;
  if (name === 'Buckets') return BUCKETS;
  if (name === 'IsTruncated') return IS_TRUNCATED;
  if (name === 'NextMarker') return NEXT_MARKER;
  return IGNORED;
}

const ONLY_SPACE = /^[ \t\r\n]*$/;

/**
 * Gathers a ListAllMyBucketsResult as readXml reports it: Owner (ID, DisplayName) and Buckets
 * (Bucket elements of OSS's eight fields) in any order, IsTruncated and NextMarker when present.
 * Another shape is refused rather than half read: a known element given twice, markup inside a
 * field, text among a container's elements, anything but Bucket inside Buckets, a Bucket anywhere
 * else. The first problem is kept and reported once the document proved well-formed.
 */
class PageVisitor implements XmlVisitor {
  /** The kind of each open element; kinds[depth] is the innermost. */
  readonly kinds: number[] = [DOCUMENT];
  depth = 0;
  rootName = '';
  problem: string | undefined;
  /** The containers and page-level leaves seen (by kind): each may come once. */
  readonly seen = new Set<number>();
  /** The bucket being read: its leaves' texts by `kind - NAME`, undefined until seen. */
  readonly fields: Array<string | undefined> = new Array<string | undefined>(IGNORED - NAME).fill(undefined);
  leafText = '';
  ownerId = '';
  displayName = '';
  truncated: string | undefined;
  nextMarker = '';
  readonly buckets: Bucket[] = [];

  open(name: string): void {
    const parent = this.kinds[this.depth] as number;
    let kind = IGNORED;
    if (parent === BUCKET) {
      kind = bucketField(name);
      if (kind !== IGNORED) {
        if (this.fields[kind - NAME] !== undefined) this.refuse(`a bucket with two <${name}> elements`);
        this.fields[kind - NAME] = '';
      }
    } else if (parent === BUCKETS) {
      if (name !== 'Bucket') this.refuse(`<${name}> inside <Buckets>`);
      kind = BUCKET;
      for (let i = 0; i < this.fields.length; i++) this.fields[i] = undefined;
    } else if (parent === IGNORED) {
      // Not ours: read for well-formedness only.
    } else if (parent >= FIRST_LEAF) {
      this.refuse(`<${name}> inside <${ELEMENT_NAMES[parent]}>`);
    } else {
      if (parent === DOCUMENT) {
        this.rootName = name;
        kind = name === ROOT_NAME ? LIST : IGNORED;
      } else if (parent === LIST) {
        kind = listChild(name);
      } else if (parent === OWNER) {
        kind = name === 'ID' ? OWNER_ID : name === 'DisplayName' ? DISPLAY_NAME : IGNORED;
      }
      if (kind === IGNORED && name === 'Bucket') this.refuse(`<Bucket> inside <${ELEMENT_NAMES[parent]}>`);
      if (this.seen.has(kind)) this.refuse(`two <${name}> elements`);
      if (kind !== IGNORED) this.seen.add(kind);
    }
    this.leafText = '';
    this.kinds[++this.depth] = kind;
  }

  text(value: string): void {
    const kind = this.kinds[this.depth] as number;
    if (kind === IGNORED) return;
    if (kind >= FIRST_LEAF) this.leafText += value;
    else if (!ONLY_SPACE.test(value)) this.refuse(`text inside <${ELEMENT_NAMES[kind]}>`);
  }

  close(): void {
    const kind = this.kinds[this.depth--] as number;
    if (kind >= NAME && kind !== IGNORED) this.fields[kind - NAME] = this.leafText;
    else if (kind === BUCKET) this.endBucket();
    else if (kind === OWNER_ID) this.ownerId = this.leafText;
    else if (kind === DISPLAY_NAME) this.displayName = this.leafText;
    else if (kind === IS_TRUNCATED) this.truncated = this.leafText;
    else if (kind === NEXT_MARKER) this.nextMarker = this.leafText;
  }

  endBucket(): void {
    const [name, location, creationDate, region, storageClass, extranet, intranet, resourceGroupId] = this.fields;
    if (!name || !location || !creationDate) {
      this.refuse('a bucket without a name, location or creation date');
      return;
    }
    const bucket: Bucket = {
      name,
      region: region || (location.startsWith('oss-') ? location.slice(4) : location),
      location,
      creationDate,
      storageClass: storageClass ?? '',
      extranetEndpoint: extranet ?? '',
      intranetEndpoint: intranet ?? '',
    };
    if (resourceGroupId) bucket.resourceGroupId = resourceGroupId;
    this.buckets.push(bucket);
  }

  refuse(what: string): void {
    this.problem ??= what;
  }
}

/** Reads one ListAllMyBucketsResult page; a body that is not exactly one is OSS_BAD_RESPONSE. */
export function parsePage(text: string, status: number, requestId: string | undefined): PageResult {
  const page = new PageVisitor();
  try {
    readXml(text, page);
  } catch (error) {
    if (error instanceof XmlError) throw badResponse(status, requestId, 'not XML');
    throw error;
  }
  if (page.rootName !== ROOT_NAME) {
    const shown = page.rootName.length > 64 ? `${page.rootName.slice(0, 64)}...` : page.rootName;
    throw badResponse(status, requestId, `unexpected <${shown}> document`);
  }
  if (page.problem !== undefined) throw badResponse(status, requestId, page.problem);
  if (!page.ownerId) throw badResponse(status, requestId, 'no bucket owner');

  const owner: BucketOwner = { id: page.ownerId, displayName: page.displayName };
  const truncated = page.truncated;
  if (truncated !== undefined && truncated !== 'true' && truncated !== 'false') {
    throw badResponse(status, requestId, 'IsTruncated is neither true nor false');
  }
  if (truncated !== 'true') return { owner, buckets: page.buckets };
  if (!page.nextMarker) throw badResponse(status, requestId, 'truncated without a NextMarker');
  return { owner, buckets: page.buckets, nextMarker: page.nextMarker };
}
