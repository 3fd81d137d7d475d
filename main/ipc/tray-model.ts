import type { ProfilesSnapshot } from '../../shared/contract.js';
import { MARK_SYMBOL, statusMark } from '../../shared/status.js';
import { roundedDuration, SHELL_WORDS, type ShellLanguage } from './shell-words.js';

export type TrayAction =
  | { kind: 'activate'; profileId: string }
  | { kind: 'sign-in'; profileId: string }
  | { kind: 'sign-out'; profileId: string }
  | { kind: 'open' }
  | { kind: 'quit' };

export type TrayItem =
  | { type: 'separator' }
  | { type: 'label'; label: string }
  | { type: 'radio'; label: string; checked: boolean; action: TrayAction }
  | { type: 'normal'; label: string; action: TrayAction };

/**
 * The tray / menu-bar menu as data: the profiles with their mark, status and expiry (radio: the
 * active one), sign in or out of the active one, open the window, quit.
 */
export function trayMenu(snapshot: ProfilesSnapshot, language: ShellLanguage, now: number): TrayItem[] {
  const words = SHELL_WORDS[language];
  const items: TrayItem[] = [{ type: 'label', label: words.app }, { type: 'separator' }];
  if (snapshot.profiles.length === 0) items.push({ type: 'label', label: words.noProfiles });
  for (const profile of snapshot.profiles) {
    const mark = statusMark(profile, now);
    const ends =
      profile.status === 'signed-in' && profile.refreshTokenExpiresAt
        ? Date.parse(profile.refreshTokenExpiresAt) - now
        : NaN;
    const expiry = Number.isFinite(ends) && ends > 0 ? ` · ${words.expiresIn(roundedDuration(ends, language))}` : '';
    items.push({
      type: 'radio',
      label: `${MARK_SYMBOL[mark]} ${profile.name} — ${words.status[mark]}${expiry}`,
      checked: profile.id === snapshot.activeProfileId,
      action: { kind: 'activate', profileId: profile.id },
    });
  }
  const active = snapshot.profiles.find((profile) => profile.id === snapshot.activeProfileId);
  if (active) {
    items.push({ type: 'separator' });
    items.push(
      active.status === 'signed-in'
        ? { type: 'normal', label: words.signOut(active.name), action: { kind: 'sign-out', profileId: active.id } }
        : { type: 'normal', label: words.signIn(active.name), action: { kind: 'sign-in', profileId: active.id } },
    );
  }
  items.push({ type: 'separator' }, { type: 'normal', label: words.open, action: { kind: 'open' } });
  items.push({ type: 'normal', label: words.quit, action: { kind: 'quit' } });
  return items;
}
