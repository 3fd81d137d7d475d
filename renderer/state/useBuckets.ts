import { useCallback, useEffect, useRef, useState } from 'react';
import type { BucketList, ProfileView, WireError } from '../../shared/contract';
import { useApi } from '../api';

export type BucketsState =
  | { status: 'idle' }
  | { status: 'loading'; page: number; received: number }
  | { status: 'loaded'; list: BucketList }
  | { status: 'failed'; error: WireError };

const STARTING: BucketsState = { status: 'loading', page: 0, received: 0 };

/** The buckets of the active profile: listed when it is signed in, again on refresh. */
export function useBuckets(profile: ProfileView | undefined) {
  const api = useApi();
  const target = profile?.status === 'signed-in' ? profile.id : undefined;
  const [state, setState] = useState<{ profileId: string; value: BucketsState } | null>(null);
  /** The listing whose answer counts (a newer one makes older answers moot). */
  const current = useRef<{ run: number; profileId: string }>({ run: 0, profileId: '' });

  const fetchList = useCallback(
    async (profileId: string) => {
      const run = current.current.run + 1;
      current.current = { run, profileId };
      const result = await api.listBuckets(profileId);
      if (current.current.run !== run) return;
      setState({
        profileId,
        value: result.ok ? { status: 'loaded', list: result.value } : { status: 'failed', error: result.error },
      });
    },
    [api],
  );

  useEffect(
    () =>
      api.onBucketsProgress((progress) => {
        if (progress.profileId !== current.current.profileId) return;
        setState({
          profileId: progress.profileId,
          value: { status: 'loading', page: progress.page, received: progress.received },
        });
      }),
    [api],
  );

  // A newly active (or newly signed-in) profile: list its buckets. Until the answer, it shows as loading.
  useEffect(() => {
    if (target) void fetchList(target);
  }, [target, fetchList]);

  const refresh = useCallback(() => {
    if (!target) return;
    setState({ profileId: target, value: STARTING });
    void fetchList(target);
  }, [target, fetchList]);

  const value: BucketsState = !target ? { status: 'idle' } : state?.profileId === target ? state.value : STARTING;
  return { state: value, refresh };
}
