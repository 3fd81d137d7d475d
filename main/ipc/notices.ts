import type { ProfilesSnapshot } from '../../shared/contract.js';
import { roundedDuration, SHELL_WORDS, type ShellLanguage } from './shell-words.js';

export interface Notice {
  /** Shown once per key: the same expiry is never announced twice. */
  key: string;
  profileId: string;
  title: string;
  body: string;
}

export interface NoticeRules {
  /** Warn this long before a refresh token runs out (default 1 day). */
  refreshLeadMs?: number;
  /** Warn this long before a set of STS credentials runs out (default 10 minutes). */
  stsLeadMs?: number;
}

/**
 * The notifications due now: a refresh token (sign-in) or a set of STS credentials about to run
 * out, for signed-in profiles, each expiry once (`shown` holds the keys already shown).
 */
export function dueNotices(
  snapshot: ProfilesSnapshot,
  now: number,
  stsValidFor: (profileId: string) => number | undefined,
  shown: ReadonlySet<string>,
  language: ShellLanguage,
  rules: NoticeRules = {},
): Notice[] {
  const words = SHELL_WORDS[language];
  const refreshLead = rules.refreshLeadMs ?? 24 * 60 * 60_000;
  const stsLead = rules.stsLeadMs ?? 10 * 60_000;
  const notices: Notice[] = [];
  for (const profile of snapshot.profiles) {
    if (profile.status !== 'signed-in') continue;
    const ends = profile.refreshTokenExpiresAt ? Date.parse(profile.refreshTokenExpiresAt) : NaN;
    const left = ends - now;
    if (Number.isFinite(left) && left > 0 && left <= refreshLead) {
      const key = `${profile.id}:refresh:${profile.refreshTokenExpiresAt}`;
      if (!shown.has(key)) {
        notices.push({
          key,
          profileId: profile.id,
          title: words.noticeTitle,
          body: words.refreshEnding(profile.name, roundedDuration(left, language)),
        });
      }
    }
    const sts = stsValidFor(profile.id);
    if (sts !== undefined && sts > 0 && sts <= stsLead) {
      // Keyed by the minute the credentials end, so a renewed set is announced again.
      const key = `${profile.id}:sts:${Math.round((now + sts) / 60_000)}`;
      if (!shown.has(key)) {
        notices.push({
          key,
          profileId: profile.id,
          title: words.noticeTitle,
          body: words.stsEnding(profile.name, roundedDuration(sts, language)),
        });
      }
    }
  }
  return notices;
}
