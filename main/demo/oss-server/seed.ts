import type { Bucket } from '../../services/oss/types.js';

/** A bucket to serve; the location and endpoints follow from the region unless given. */
export interface SeedBucket {
  name: string;
  region: string;
  creationDate?: string;
  storageClass?: string;
  resourceGroupId?: string;
  location?: string;
  extranetEndpoint?: string;
  intranetEndpoint?: string;
}

const SEED_REGIONS = [
  'cn-hangzhou',
  'cn-shanghai',
  'cn-beijing',
  'cn-shenzhen',
  'cn-qingdao',
  'cn-zhangjiakou',
  'cn-chengdu',
  'cn-hongkong',
  'ap-southeast-1',
  'ap-southeast-5',
  'ap-northeast-1',
  'us-west-1',
  'us-east-1',
  'eu-central-1',
  'eu-west-1',
  'me-east-1',
] as const;

const SEED_RESOURCE_GROUPS = [
  'rg-acfmdefault0001',
  'rg-acfmprod00002',
  'rg-acfmstaging003',
  'rg-acfmanalytic04',
] as const;

const STORAGE_CLASSES = ['Standard', 'Standard', 'Standard', 'IA', 'Archive', 'ColdArchive'] as const;
const WORDS = [
  'logs',
  'assets',
  'backup',
  'media',
  'data',
  'static',
  'archive',
  'reports',
  'images',
  'builds',
] as const;

/** Fills in what OSS derives from the region. */
export function toBucket(seed: SeedBucket): Bucket {
  return {
    name: seed.name,
    region: seed.region,
    location: seed.location ?? `oss-${seed.region}`,
    creationDate: seed.creationDate ?? '2024-01-01T00:00:00.000Z',
    storageClass: seed.storageClass ?? 'Standard',
    extranetEndpoint: seed.extranetEndpoint ?? `oss-${seed.region}.aliyuncs.com`,
    intranetEndpoint: seed.intranetEndpoint ?? `oss-${seed.region}-internal.aliyuncs.com`,
    ...(seed.resourceGroupId ? { resourceGroupId: seed.resourceGroupId } : {}),
  };
}

/**
 * `count` buckets, the same ones for the same `seed`: unique names, spread over many regions,
 * storage classes and a few resource groups (every fifth bucket in none).
 */
export function seedBuckets(count: number, seed = 1): SeedBucket[] {
  const random = mulberry32(seed);
  const width = Math.max(5, String(count).length);
  const start = Date.UTC(2019, 0, 1);
  const out: SeedBucket[] = [];
  for (let i = 0; i < count; i++) {
    const word = pick(WORDS, random);
    const region = pick(SEED_REGIONS, random);
    const group = random() < 0.2 ? undefined : pick(SEED_RESOURCE_GROUPS, random);
    const created = new Date(start + Math.floor(random() * 6 * 365 * 86_400) * 1000);
    out.push({
      name: `${word}-${region}-${String(i).padStart(width, '0')}`,
      region,
      creationDate: created.toISOString(),
      storageClass: pick(STORAGE_CLASSES, random),
      ...(group ? { resourceGroupId: group } : {}),
    });
  }
  return out;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Small deterministic PRNG (not for secrets). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
