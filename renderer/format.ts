import type { BucketView, Identity } from '../shared/contract';

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "in 42 minutes", "29 天后", "5 minutes ago", in the window's language. */
export function relativeTime(deltaMs: number, language: string): string {
  const abs = Math.abs(deltaMs);
  const [unit, size] = UNITS.find(([, ms]) => abs >= ms * (ms === 1000 ? 1 : 2)) ?? UNITS[UNITS.length - 1]!;
  return new Intl.RelativeTimeFormat(language, { numeric: 'auto' }).format(Math.round(deltaMs / size), unit);
}

export function formatCount(value: number, language: string): string {
  return new Intl.NumberFormat(language).format(value);
}

/** "4:59" for a countdown. */
export function clock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The date part of an ISO time (OSS sends UTC). */
export function shortDate(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : iso;
}

/** Who signed in, as one name. */
export function identityName(identity: Identity): string {
  return identity.upn ?? identity.loginName ?? identity.name ?? identity.sub;
}

export type SortKey = 'name' | 'region' | 'creationDate' | 'storageClass';
export interface Sort {
  key: SortKey;
  direction: 'asc' | 'desc';
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Buckets whose name, region or storage class contains the query (case-insensitive), sorted. */
export function visibleBuckets(buckets: readonly BucketView[], query: string, sort: Sort): BucketView[] {
  const needle = query.trim().toLowerCase();
  const matching = needle
    ? buckets.filter(
        (b) =>
          b.name.toLowerCase().includes(needle) ||
          b.region.toLowerCase().includes(needle) ||
          b.storageClass.toLowerCase().includes(needle),
      )
    : [...buckets];
  const sign = sort.direction === 'asc' ? 1 : -1;
  return matching.sort((a, b) => sign * collator.compare(a[sort.key], b[sort.key]) || collator.compare(a.name, b.name));
}

export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

/** Ctrl or ⌘ (not both, no Alt) with a key. */
export function isShortcut(event: KeyboardEvent, key: string): boolean {
  return (
    event.key.toLowerCase() === key &&
    (event.ctrlKey || event.metaKey) &&
    !event.altKey &&
    !(event.ctrlKey && event.metaKey)
  );
}

/** "5 minutes", "3 hours", "2 天": an amount of time in the window's language, in Intl's words. */
export function durationInWords(ms: number, language: string): string {
  const abs = Math.abs(ms);
  const [unit, size] =
    UNITS.find(([, unitMs]) => abs >= unitMs * (unitMs === 1000 ? 1 : 2)) ?? UNITS[UNITS.length - 1]!;
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(Math.round(abs / size));
}
