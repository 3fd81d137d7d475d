export { listBuckets, type ListBucketsOptions } from './list-buckets.js';
export { signV4, type SignV4Request, type SignedV4 } from './sign-v4.js';
export type { Bucket, BucketOwner, ListBucketsResult, StsCredentials } from './types.js';
