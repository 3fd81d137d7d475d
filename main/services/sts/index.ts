export {
  DEFAULT_STS_MARGIN_MS,
  StsService,
  type StsRequestOptions,
  type StsServiceDeps,
  type TimeSource,
} from './sts-service.js';
export { USER_STS_SCOPE, notAllowed, postExchange, type ExchangeOutcome } from './exchange.js';
export {
  listProfileBuckets,
  type ProfileBuckets,
  type ProfileBucketsDeps,
  type ProfileBucketsOptions,
} from './profile-buckets.js';
