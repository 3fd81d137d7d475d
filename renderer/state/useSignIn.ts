import { useCallback, useEffect, useState } from 'react';
import type { WireError } from '../../shared/contract';
import { useApi } from '../api';

export type SignInSheetState =
  | { profileId: string; phase: 'starting' }
  | { profileId: string; phase: 'waiting'; url: string; deadline: number; browserOpened: boolean }
  | { profileId: string; phase: 'exchanging' }
  | { profileId: string; phase: 'failed'; error: WireError };

/**
 * The sign-in sheet, driven by main's progress events (so a sign-in started from the tray shows
 * too). Success closes it; a cancel closes it; any other failure stays with its words.
 */
export function useSignIn() {
  const api = useApi();
  const [sheet, setSheet] = useState<SignInSheetState | null>(null);

  useEffect(
    () =>
      api.onSignInProgress(({ profileId, phase }) =>
        setSheet((current) => {
          // One sheet at a time: another profile's sign-in does not take over a live one.
          if (current && current.profileId !== profileId && current.phase !== 'failed') return current;
          switch (phase.kind) {
            case 'waiting':
              return {
                profileId,
                phase: 'waiting',
                url: phase.url,
                deadline: phase.deadline,
                browserOpened: phase.browserOpened,
              };
            case 'exchanging':
              return { profileId, phase: 'exchanging' };
            case 'finished':
              return null;
            case 'failed':
              return phase.error.code === 'SIGNIN_CANCELLED'
                ? null
                : { profileId, phase: 'failed', error: phase.error };
          }
        }),
      ),
    [api],
  );

  const start = useCallback(
    async (profileId: string) => {
      setSheet({ profileId, phase: 'starting' });
      const result = await api.signIn(profileId);
      setSheet((current) => {
        if (current?.profileId !== profileId) return current;
        if (result.ok || result.error.code === 'SIGNIN_CANCELLED') return null;
        return current.phase === 'failed' ? current : { profileId, phase: 'failed', error: result.error };
      });
    },
    [api],
  );

  const cancel = useCallback(async () => {
    const current = sheet;
    setSheet(null);
    if (current && current.phase !== 'failed') await api.cancelSignIn(current.profileId);
  }, [api, sheet]);

  return { sheet, start, cancel };
}
