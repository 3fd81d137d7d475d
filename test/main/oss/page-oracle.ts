/**
 * The tree-based ListBuckets page reader that main/services/oss/list-page.ts replaced, kept
 * verbatim (generic XML tree + zod) as the oracle the one-pass reader is compared with.
 */
import { z } from 'zod';
import { badResponse } from '../../../main/services/oss/errors.js';
import type { PageResult } from '../../../main/services/oss/list-page.js';
import type { Bucket } from '../../../main/services/oss/types.js';
import {
  child,
  childrenNamed,
  childText,
  parseXml,
  XmlError,
  type XmlElement,
} from '../../../main/services/oss/xml.js';

const BucketSchema = z.object({
  Name: z.string().min(1),
  Location: z.string().min(1),
  CreationDate: z.string().min(1),
  Region: z.string().optional(),
  StorageClass: z.string().optional(),
  ExtranetEndpoint: z.string().optional(),
  IntranetEndpoint: z.string().optional(),
  ResourceGroupId: z.string().optional(),
});

const OwnerSchema = z.object({ ID: z.string().min(1), DisplayName: z.string().optional() });

/** Reads one ListAllMyBucketsResult page; a body that is not one is OSS_BAD_RESPONSE. */
export function treeParsePage(text: string, status: number, requestId: string | undefined): PageResult {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) throw badResponse(status, requestId, 'not XML');
    throw error;
  }
  if (root.name !== 'ListAllMyBucketsResult')
    throw badResponse(status, requestId, `unexpected <${root.name}> document`);

  const ownerElement = child(root, 'Owner');
  const owner = OwnerSchema.safeParse(ownerElement ? leafTexts(ownerElement) : undefined);
  if (!owner.success) throw badResponse(status, requestId, 'no bucket owner');

  const buckets: Bucket[] = [];
  const container = child(root, 'Buckets');
  for (const element of container ? childrenNamed(container, 'Bucket') : []) {
    const parsed = BucketSchema.safeParse(leafTexts(element));
    if (!parsed.success) throw badResponse(status, requestId, 'a bucket without a name, location or creation date');
    const b = parsed.data;
    buckets.push({
      name: b.Name,
      region: b.Region || b.Location.replace(/^oss-/, ''),
      location: b.Location,
      creationDate: b.CreationDate,
      storageClass: b.StorageClass ?? '',
      extranetEndpoint: b.ExtranetEndpoint ?? '',
      intranetEndpoint: b.IntranetEndpoint ?? '',
      ...(b.ResourceGroupId ? { resourceGroupId: b.ResourceGroupId } : {}),
    });
  }

  const truncated = childText(root, 'IsTruncated');
  if (truncated !== undefined && truncated !== 'true' && truncated !== 'false') {
    throw badResponse(status, requestId, 'IsTruncated is neither true nor false');
  }
  if (truncated !== 'true') return { owner: { id: owner.data.ID, displayName: owner.data.DisplayName ?? '' }, buckets };
  const nextMarker = childText(root, 'NextMarker');
  if (!nextMarker) throw badResponse(status, requestId, 'truncated without a NextMarker');
  return { owner: { id: owner.data.ID, displayName: owner.data.DisplayName ?? '' }, buckets, nextMarker };
}

/** `{ ChildName: text }` for an element's children (the first of each name). */
function leafTexts(element: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of element.children) if (!Object.hasOwn(out, c.name)) out[c.name] = c.text;
  return out;
}
