import type { ProfileView } from './contract.js';

/** What a person should know about a profile at a glance (the mark in the list and the tray). */
export type StatusMark = 'signed-in' | 'expires-soon' | 'attention' | 'signed-out';

/** A sign-in that ends within this is "expires soon". */
const EXPIRES_SOON_MS = 3 * 24 * 60 * 60_000;

export function statusMark(profile: Pick<ProfileView, 'status' | 'refreshTokenExpiresAt'>, now: number): StatusMark {
  if (profile.status === 'needs-attention' || profile.status === 'expired') return 'attention';
  if (profile.status !== 'signed-in') return 'signed-out';
  const ends = profile.refreshTokenExpiresAt ? Date.parse(profile.refreshTokenExpiresAt) : NaN;
  if (Number.isFinite(ends) && ends <= now) return 'attention';
  if (Number.isFinite(ends) && ends - now < EXPIRES_SOON_MS) return 'expires-soon';
  return 'signed-in';
}

/** The symbol beside the word (never the only signal). */
export const MARK_SYMBOL: Readonly<Record<StatusMark, string>> = {
  'signed-in': '●',
  'expires-soon': '◐',
  attention: '▲',
  'signed-out': '○',
};
