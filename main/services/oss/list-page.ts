import { badResponse } from './errors.js';
import type { Bucket, BucketOwner } from './types.js';
import { decodeEntities, MAX_DEPTH, XmlError } from './xml.js';

/**
 * One-pass reader for a ListBuckets (GetService) page. It accepts exactly the documents that
 * `parseXml` accepts (same grammar: BOM, prolog PIs and comments, no DTD, attributes skipped,
 * CDATA, the five named entities and numeric references, 32 levels) and reads from them what the
 * tree-based reader did (first Owner, first Buckets and each of its Bucket children, first of
 * every leaf name, own text only), but without building a tree: it scans with indexOf, writes
 * leaves straight into the bucket under construction and decodes entities only in a text run
 * that holds an `&`. Problems with the content are reported only after the whole document proved
 * well-formed, in the order the tree reader checked them, so both give the same error.
 *
 * A `<Bucket>` written exactly as OSS writes it is read by one sticky regex (PLAIN_BUCKET) instead
 * of tag by tag: character loops in JavaScript cost about 2 ns a character here, the regex engine
 * a fraction of that, and this is 1,000 buckets a page. The regex matches only text that the
 * scanner would read to the same fields; anything else (another order, spaces, attributes,
 * entities, CDATA, repeated or unknown fields) goes through the scanner.
 */

export interface PageResult {
  owner: BucketOwner;
  buckets: Bucket[];
  /** Present only when OSS said the list is truncated. */
  nextMarker?: string;
}

const ROOT_NAME = 'ListAllMyBucketsResult';

// What an element is, from its parent and its name. Containers first, then the leaves whose own
// text is kept; SKIP is anything else (read for well-formedness only, its subtree is SKIP too).
const SKIP = 0;
const ROOT = 1; // the document element, before its name is known
const LIST = 2; // <ListAllMyBucketsResult>
const OTHER_ROOT = 3; // a document element with another name
const OWNER = 4;
const BUCKETS = 5;
const BUCKET = 6;
const FIRST_LEAF = 7;
const IS_TRUNCATED = 7;
const NEXT_MARKER = 8;
const OWNER_ID = 9;
const DISPLAY_NAME = 10;
const B_NAME = 11;
const B_LOCATION = 12;
const B_CREATION_DATE = 13;
const B_REGION = 14;
const B_STORAGE_CLASS = 15;
const B_EXTRANET = 16;
const B_INTRANET = 17;
const B_RESOURCE_GROUP = 18;

const field = (name: string): string => `(?:<${name}>([^<&]*)</${name}>)?`;
/**
 * `<Bucket>` with OSS's fields in OSS's order, each optional and at most once, no space inside a
 * tag and no `<` or `&` in a text; captures 1–8 as below. Every text ends at a `<`, so a failed
 * attempt gives up after one look back over each text: no runaway backtracking.
 */
const PLAIN_BUCKET = new RegExp(
  '<Bucket>' +
    field('CreationDate') + // 1
    field('ExtranetEndpoint') + // 2
    field('IntranetEndpoint') + // 3
    field('Location') + // 4
    field('Name') + // 5
    field('Region') + // 6
    field('ResourceGroupId') + // 7
    field('StorageClass') + // 8
    '</Bucket>',
  'y',
);

const LT = 0x3c; // <
const GT = 0x3e; // >
const SLASH = 0x2f;
const EQ = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BANG = 0x21;
const QUESTION = 0x3f;

/** `/\s/` (no u flag) for one UTF-16 code unit. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** [A-Za-z_] */
function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

/** [\w.:-] */
function isNameChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x3a) || // 0-9 and ':'
    c === 0x5f ||
    c === 0x2e ||
    c === 0x2d
  );
}

const notXml = (): never => {
  throw new XmlError('not well-formed');
};

class PageScanner {
  readonly src: string;
  pos: number;
  /** The first `&` at or after some earlier position (src.length when none): one scan in all. */
  amp = -1;

  rootName = '';
  ownerSeen = false;
  ownerId: string | undefined = undefined;
  displayName: string | undefined = undefined;
  bucketsSeen = false;
  readonly buckets: Bucket[] = [];
  badBucket = false;
  truncated: string | undefined = undefined;
  nextMarker: string | undefined = undefined;

  // The bucket being read (buckets do not nest: a Bucket's subtree is leaves and SKIP).
  name: string | undefined = undefined;
  location: string | undefined = undefined;
  creationDate: string | undefined = undefined;
  region: string | undefined = undefined;
  storageClass: string | undefined = undefined;
  extranet: string | undefined = undefined;
  intranet: string | undefined = undefined;
  resourceGroup: string | undefined = undefined;

  constructor(src: string) {
    this.src = src;
    this.pos = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  scan(): void {
    this.skipMisc();
    this.element(0, ROOT);
    this.skipMisc();
    if (this.pos !== this.src.length) notXml();
  }

  skipSpace(): void {
    const src = this.src;
    let pos = this.pos;
    while (pos < src.length && isSpace(src.charCodeAt(pos))) pos++;
    this.pos = pos;
  }

  /** Moves past the next `end`, searching from the current position (as parseXml does). */
  skipPast(end: string): void {
    const at = this.src.indexOf(end, this.pos);
    if (at < 0) notXml();
    this.pos = at + end.length;
  }

  skipMisc(): void {
    const src = this.src;
    for (;;) {
      this.skipSpace();
      if (src.startsWith('<?', this.pos)) this.skipPast('?>');
      else if (src.startsWith('<!--', this.pos)) this.skipPast('-->');
      else if (src.startsWith('<!', this.pos))
        notXml(); // DTDs (and with them entity expansion) refused
      else return;
    }
  }

  /** End of the name at the current position: [A-Za-z_][\w.:-]*, at most 256 characters. */
  nameEnd(): number {
    const src = this.src;
    const start = this.pos;
    if (!isNameStart(src.charCodeAt(start))) notXml();
    const limit = Math.min(src.length, start + 256);
    let end = start + 1;
    while (end < limit && isNameChar(src.charCodeAt(end))) end++;
    return end;
  }

  /** Whether src[start, end) is exactly `name`. */
  is(start: number, end: number, name: string): boolean {
    if (end - start !== name.length) return false;
    const src = this.src;
    for (let i = 0; i < name.length; i++) if (src.charCodeAt(start + i) !== name.charCodeAt(i)) return false;
    return true;
  }

  /** What a child element named src[start, end) of a `parent` element is. */
  kindOf(parent: number, start: number, end: number): number {
    switch (parent) {
      case BUCKET:
        switch (end - start) {
          case 4:
            return this.name === undefined && this.is(start, end, 'Name') ? B_NAME : SKIP;
          case 6:
            return this.region === undefined && this.is(start, end, 'Region') ? B_REGION : SKIP;
          case 8:
            return this.location === undefined && this.is(start, end, 'Location') ? B_LOCATION : SKIP;
          case 12:
            if (this.creationDate === undefined && this.is(start, end, 'CreationDate')) return B_CREATION_DATE;
            return this.storageClass === undefined && this.is(start, end, 'StorageClass') ? B_STORAGE_CLASS : SKIP;
          case 15:
            return this.resourceGroup === undefined && this.is(start, end, 'ResourceGroupId') ? B_RESOURCE_GROUP : SKIP;
          case 16:
            if (this.extranet === undefined && this.is(start, end, 'ExtranetEndpoint')) return B_EXTRANET;
            return this.intranet === undefined && this.is(start, end, 'IntranetEndpoint') ? B_INTRANET : SKIP;
          default:
            return SKIP;
        }
      case BUCKETS:
        return this.is(start, end, 'Bucket') ? BUCKET : SKIP;
      case LIST:
        if (!this.ownerSeen && this.is(start, end, 'Owner')) return OWNER;
        if (!this.bucketsSeen && this.is(start, end, 'Buckets')) return BUCKETS;
        if (this.truncated === undefined && this.is(start, end, 'IsTruncated')) return IS_TRUNCATED;
        if (this.nextMarker === undefined && this.is(start, end, 'NextMarker')) return NEXT_MARKER;
        return SKIP;
      case OWNER:
        if (this.ownerId === undefined && this.is(start, end, 'ID')) return OWNER_ID;
        return this.displayName === undefined && this.is(start, end, 'DisplayName') ? DISPLAY_NAME : SKIP;
      case ROOT:
        this.rootName = this.src.slice(start, end);
        return this.rootName === ROOT_NAME ? LIST : OTHER_ROOT;
      default:
        return SKIP;
    }
  }

  /**
   * Skips the attributes and the end of a start tag, honouring quotes so a '>' inside one does not
   * end the tag. True when the tag closed itself (`/>`).
   */
  attributes(): boolean {
    const src = this.src;
    for (;;) {
      this.skipSpace();
      const c = src.charCodeAt(this.pos);
      if (c === SLASH && src.charCodeAt(this.pos + 1) === GT) {
        this.pos += 2;
        return true;
      }
      if (c === GT) {
        this.pos++;
        return false;
      }
      if (this.pos >= src.length) notXml();
      this.pos = this.nameEnd();
      this.skipSpace();
      if (src.charCodeAt(this.pos) !== EQ) notXml();
      this.pos++;
      this.skipSpace();
      const quote = src.charCodeAt(this.pos);
      if (quote !== DQUOTE && quote !== SQUOTE) notXml();
      this.pos++;
      this.skipPast(quote === DQUOTE ? '"' : "'");
    }
  }

  /** Reads one element (the current position is at its `<`), as parseXml's readElement does. */
  element(depth: number, parent: number): void {
    if (depth > MAX_DEPTH) notXml();
    const src = this.src;
    if (src.charCodeAt(this.pos) !== LT) notXml();
    this.pos++;
    const nameStart = this.pos;
    const nameEnd = this.nameEnd();
    this.pos = nameEnd;
    const kind = this.kindOf(parent, nameStart, nameEnd);
    this.open(kind);

    if (src.charCodeAt(this.pos) === GT) this.pos++;
    else if (this.attributes()) {
      this.close(kind, ''); // <Name/>: an empty element
      return;
    }

    const keep = kind >= FIRST_LEAF;
    const childParent = kind >= FIRST_LEAF || kind === OTHER_ROOT ? SKIP : kind;
    let text = '';
    for (;;) {
      const pos = this.pos;
      const lt = src.indexOf('<', pos);
      if (lt < 0) notXml();
      if (lt > pos) {
        if (this.amp < pos) {
          this.amp = src.indexOf('&', pos);
          if (this.amp < 0) this.amp = src.length;
        }
        if (this.amp < lt) {
          const decoded = decodeEntities(src.slice(pos, lt), notXml);
          if (keep) text += decoded;
        } else if (keep) {
          text += src.slice(pos, lt);
        }
      }
      this.pos = lt;
      const next = src.charCodeAt(lt + 1);
      if (next === SLASH) {
        // The end tag: the same name (so the same length), then optional space and '>'.
        let at = lt + 2;
        if (!isNameStart(src.charCodeAt(at))) notXml();
        for (let i = nameStart; i < nameEnd; i++, at++) if (src.charCodeAt(at) !== src.charCodeAt(i)) notXml();
        this.pos = at;
        if (src.charCodeAt(at) !== GT) {
          this.skipSpace();
          if (src.charCodeAt(this.pos) !== GT) notXml();
        }
        this.pos++;
        this.close(kind, text);
        return;
      }
      if (next === BANG && src.startsWith('<![CDATA[', lt)) {
        const end = src.indexOf(']]>', lt);
        if (end < 0) notXml();
        if (keep) text += src.slice(lt + 9, end);
        this.pos = end + 3;
      } else if (next === BANG && src.startsWith('<!--', lt)) {
        this.skipPast('-->');
      } else if (next === QUESTION) {
        this.skipPast('?>');
      } else if (childParent !== BUCKETS || !this.plainBucket(lt)) {
        this.element(depth + 1, childParent);
      }
    }
  }

  /**
   * A `<Bucket>` exactly as OSS writes it (its fields in OSS's order, each at most once, no
   * attributes, no space inside tags, texts without `<` or `&`), matched by one sticky regex: the
   * same reading element() would give it, without a JavaScript loop over every character.
   * False, with nothing changed, for anything else; element() then reads it.
   */
  plainBucket(lt: number): boolean {
    PLAIN_BUCKET.lastIndex = lt;
    const m = PLAIN_BUCKET.exec(this.src);
    if (m === null) return false;
    this.name = m[5];
    this.location = m[4];
    this.creationDate = m[1];
    this.region = m[6];
    this.storageClass = m[8];
    this.extranet = m[2];
    this.intranet = m[3];
    this.resourceGroup = m[7];
    this.endBucket();
    this.pos = PLAIN_BUCKET.lastIndex;
    return true;
  }

  open(kind: number): void {
    switch (kind) {
      case OWNER:
        this.ownerSeen = true;
        break;
      case BUCKETS:
        this.bucketsSeen = true;
        break;
      case BUCKET:
        this.name = undefined;
        this.location = undefined;
        this.creationDate = undefined;
        this.region = undefined;
        this.storageClass = undefined;
        this.extranet = undefined;
        this.intranet = undefined;
        this.resourceGroup = undefined;
        break;
      // A leaf is "seen" from its start tag: a later one of the same name is not read.
      case IS_TRUNCATED:
        this.truncated = '';
        break;
      case NEXT_MARKER:
        this.nextMarker = '';
        break;
      case OWNER_ID:
        this.ownerId = '';
        break;
      case DISPLAY_NAME:
        this.displayName = '';
        break;
      case B_NAME:
        this.name = '';
        break;
      case B_LOCATION:
        this.location = '';
        break;
      case B_CREATION_DATE:
        this.creationDate = '';
        break;
      case B_REGION:
        this.region = '';
        break;
      case B_STORAGE_CLASS:
        this.storageClass = '';
        break;
      case B_EXTRANET:
        this.extranet = '';
        break;
      case B_INTRANET:
        this.intranet = '';
        break;
      case B_RESOURCE_GROUP:
        this.resourceGroup = '';
        break;
    }
  }

  close(kind: number, text: string): void {
    switch (kind) {
      case BUCKET:
        this.endBucket();
        break;
      case IS_TRUNCATED:
        this.truncated = text;
        break;
      case NEXT_MARKER:
        this.nextMarker = text;
        break;
      case OWNER_ID:
        this.ownerId = text;
        break;
      case DISPLAY_NAME:
        this.displayName = text;
        break;
      case B_NAME:
        this.name = text;
        break;
      case B_LOCATION:
        this.location = text;
        break;
      case B_CREATION_DATE:
        this.creationDate = text;
        break;
      case B_REGION:
        this.region = text;
        break;
      case B_STORAGE_CLASS:
        this.storageClass = text;
        break;
      case B_EXTRANET:
        this.extranet = text;
        break;
      case B_INTRANET:
        this.intranet = text;
        break;
      case B_RESOURCE_GROUP:
        this.resourceGroup = text;
        break;
    }
  }

  endBucket(): void {
    const { name, location, creationDate } = this;
    if (!name || !location || !creationDate) {
      this.badBucket = true;
      return;
    }
    if (this.badBucket) return; // the page is refused anyway
    const region = this.region || (location.startsWith('oss-') ? location.slice(4) : location);
    const storageClass = this.storageClass ?? '';
    const extranetEndpoint = this.extranet ?? '';
    const intranetEndpoint = this.intranet ?? '';
    const resourceGroupId = this.resourceGroup;
    this.buckets.push(
      resourceGroupId
        ? {
            name,
            region,
            location,
            creationDate,
            storageClass,
            extranetEndpoint,
            intranetEndpoint,
            resourceGroupId,
          }
        : { name, region, location, creationDate, storageClass, extranetEndpoint, intranetEndpoint },
    );
  }
}

/** Reads one ListAllMyBucketsResult page; a body that is not one is OSS_BAD_RESPONSE. */
export function parsePage(text: string, status: number, requestId: string | undefined): PageResult {
  const page = new PageScanner(text);
  try {
    page.scan();
  } catch (error) {
    if (error instanceof XmlError) throw badResponse(status, requestId, 'not XML');
    throw error;
  }
  if (page.rootName !== ROOT_NAME) throw badResponse(status, requestId, `unexpected <${page.rootName}> document`);
  if (!page.ownerId) throw badResponse(status, requestId, 'no bucket owner');
  if (page.badBucket) throw badResponse(status, requestId, 'a bucket without a name, location or creation date');

  const owner: BucketOwner = { id: page.ownerId, displayName: page.displayName ?? '' };
  const truncated = page.truncated;
  if (truncated !== undefined && truncated !== 'true' && truncated !== 'false') {
    throw badResponse(status, requestId, 'IsTruncated is neither true nor false');
  }
  if (truncated !== 'true') return { owner, buckets: page.buckets };
  const nextMarker = page.nextMarker;
  if (!nextMarker) throw badResponse(status, requestId, 'truncated without a NextMarker');
  return { owner, buckets: page.buckets, nextMarker };
}
