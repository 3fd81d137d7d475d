/** Temporary credentials as the STS service hands them out (from the OAuth /v1/exchange). */
export interface StsCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: Date;
}

/** One bucket from ListBuckets, with every field OSS reports (ali-oss drops several). */
export interface Bucket {
  name: string;
  /** Standard region id, e.g. `cn-hangzhou`. */
  region: string;
  /** OSS location, e.g. `oss-cn-hangzhou`. */
  location: string;
  /** ISO 8601, as OSS sends it. */
  creationDate: string;
  storageClass: string;
  extranetEndpoint: string;
  intranetEndpoint: string;
  resourceGroupId?: string;
}

export interface BucketOwner {
  id: string;
  displayName: string;
}

export interface ListBucketsResult {
  owner: BucketOwner;
  buckets: Bucket[];
}
