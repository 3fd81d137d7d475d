import { useCallback, useEffect, useState } from 'react';
import type { BrokerProfileView, BrokerStatusView, WireError } from '../../shared/contract';
import { useApi } from '../api';
import { useHubResult } from './useHubResult';

/**
 * The broker pane of one profile: its view, the broker's state, and the actions. The full URL is
 * held only while the person asked to see it (and dropped on Hide, on rotation, on another profile).
 */
export function useHubBroker(profileId: string) {
  const api = useApi();
  const load = useCallback(() => api.brokerProfile(profileId), [api, profileId]);
  const { state, set, reload } = useHubResult(load, profileId);
  const [broker, setBroker] = useState<BrokerStatusView | null>(null);
  const [shown, setShown] = useState<{ profileId: string; url: string } | null>(null);
  const [failure, setFailure] = useState<WireError | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const [relinked, setRelinked] = useState<string[] | null>(null);

  useEffect(() => {
    let live = true;
    const stop = api.onBrokerChanged((view) => setBroker(view));
    void api.brokerStatus().then((result) => live && result.ok && setBroker((current) => current ?? result.value));
    return () => {
      live = false;
      stop();
    };
  }, [api]);

  /** Runs an action; its failure is said in the pane, its success clears the last failure. */
  const act = async <T>(
    call: Promise<{ ok: true; value: T } | { ok: false; error: WireError }>,
  ): Promise<T | undefined> => {
    setBusy(true);
    const result = await call;
    setBusy(false);
    setFailure(result.ok ? null : result.error);
    return result.ok ? result.value : undefined;
  };

  return {
    state,
    broker,
    busy,
    failure,
    copied,
    relinked,
    url: shown?.profileId === profileId ? shown.url : null,
    reload,
    setEnabled: async (on: boolean) => {
      const view: BrokerProfileView | undefined = await act(api.setBrokerEnabled(profileId, on));
      if (view) set(view);
    },
    show: async () => {
      const value = await act(api.revealBrokerUrl(profileId));
      if (value) {
        setShown({ profileId, url: value.url });
        // Showing made the secret when there was none: the masked form is known now.
        void reload();
      }
    },
    hide: () => setShown(null),
    copy: async () => {
      const value = await act(api.copyBrokerUrl(profileId));
      if (value?.copied) {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
        void reload();
      }
    },
    rotate: async (): Promise<boolean> => {
      const value = await act(api.rotateBrokerUrl(profileId));
      if (!value) return false;
      setShown(null);
      setRelinked(value.relinked);
      set(value.profile);
      return true;
    },
  };
}
