import { AppError } from '../core/errors.js';
import type { FetchLike } from '../net/http.js';
import { badResponse, ossFailureToAppError, parseOssErrorBody, redirected, type OssFailure } from './errors.js';
import { parsePage, type PageResult } from './list-page.js';
import { canonicalQuery, signV4 } from './sign-v4.js';
import type { Bucket, BucketOwner, ListBucketsResult, StsCredentials } from './types.js';

export interface ListBucketsOptions {
  fetch: FetchLike;
  /** Service endpoint, e.g. `https://oss-cn-hangzhou.aliyuncs.com`. */
  endpoint: string;
  /** Region id used in the signature, e.g. `cn-hangzhou` (`oss-cn-hangzhou` is accepted too). */
  region: string;
  /** Called before each page; may renew on its own. */
  credentials: () => Promise<StsCredentials>;
  /** Forced renewal after OSS answered SecurityTokenExpired; without it that answer is final. */
  renew?: () => Promise<StsCredentials>;
  prefix?: string;
  resourceGroupId?: string;
  signal?: AbortSignal;
  onPage?: (progress: { page: number; received: number; truncated: boolean }) => void;
  /** Clock used for x-oss-date (give a server-corrected one when the local clock is off). */
  now?: () => Date;
}

const PAGE_SIZE = 1000;

/**
 * Lists every bucket the credentials can see (OSS GetService), following NextMarker page by page,
 * signed with V4 and the STS security token. Throws an AppError (never a partial list) on failure.
 */
export async function listBuckets(opts: ListBucketsOptions): Promise<ListBucketsResult> {
  const endpoint = serviceUrl(opts.endpoint);
  const region = opts.region.replace(/^oss-/, '');
  const buckets: Bucket[] = [];
  let owner: BucketOwner | undefined;
  let marker: string | undefined;

  for (let page = 1; ; page++) {
    opts.signal?.throwIfAborted();
    let credentials = await opts.credentials();
    opts.signal?.throwIfAborted();
    let outcome = await requestPage(opts, endpoint, region, credentials, marker);
    if (outcome.kind === 'expired' && opts.renew) {
      credentials = await opts.renew();
      opts.signal?.throwIfAborted();
      outcome = await requestPage(opts, endpoint, region, credentials, marker);
    }
    if (outcome.kind === 'expired') throw ossFailureToAppError(outcome.failure);

    const result = outcome.page;
    owner ??= result.owner;
    buckets.push(...result.buckets);
    opts.onPage?.({ page, received: buckets.length, truncated: result.nextMarker !== undefined });
    if (result.nextMarker === undefined) return { owner, buckets };
    if (marker !== undefined && result.nextMarker <= marker) {
      throw badResponse(200, outcome.requestId, 'NextMarker does not move forward');
    }
    marker = result.nextMarker;
  }
}

type Outcome =
  { kind: 'page'; page: PageResult; requestId: string | undefined } | { kind: 'expired'; failure: OssFailure };

async function requestPage(
  opts: ListBucketsOptions,
  endpoint: URL,
  region: string,
  credentials: StsCredentials,
  marker: string | undefined,
): Promise<Outcome> {
  const query: Array<[string, string]> = [['max-keys', String(PAGE_SIZE)]];
  if (opts.prefix) query.push(['prefix', opts.prefix]);
  if (marker !== undefined) query.push(['marker', marker]);
  const signed = signV4({
    method: 'GET',
    query,
    headers: opts.resourceGroupId ? { 'x-oss-resource-group-id': opts.resourceGroupId } : {},
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    securityToken: credentials.securityToken,
    region,
    date: opts.now?.() ?? new Date(),
  });
  const url = new URL(endpoint);
  // Sent exactly as signed: the canonical query is already RFC 3986 encoded.
  url.search = canonicalQuery(query);

  // Never follow a redirect: undici drops Authorization across origins, but not the STS token in
  // x-oss-security-token. OSS answers ListBuckets itself; a 3xx is an endpoint to distrust.
  const response = await opts.fetch(url, {
    method: 'GET',
    headers: signed.headers,
    redirect: 'manual',
    signal: opts.signal ?? null,
  });
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw redirected(url.host, response.status, response.headers.get('location'));
  }
  const text = await response.text();
  const requestId = response.headers.get('x-oss-request-id') ?? undefined;

  if (response.status !== 200) {
    const body = parseOssErrorBody(text);
    if (!body) throw badResponse(response.status, requestId, 'not an OSS error document');
    const failure: OssFailure = {
      status: response.status,
      body,
      requestId,
      secrets: [credentials.accessKeyId, credentials.accessKeySecret, credentials.securityToken],
    };
    if (body.code === 'SecurityTokenExpired') return { kind: 'expired', failure };
    throw ossFailureToAppError(failure);
  }
  return { kind: 'page', page: parsePage(text, response.status, requestId), requestId };
}

function serviceUrl(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new AppError(
      'INVALID_INPUT',
      `The OSS endpoint "${endpoint}" is not a URL (expected e.g. https://oss-cn-hangzhou.aliyuncs.com).`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('INVALID_INPUT', `The OSS endpoint must be an https:// (or http://) URL, not ${url.protocol}.`);
  }
  url.pathname = '/';
  url.search = '';
  url.hash = '';
  return url;
}
