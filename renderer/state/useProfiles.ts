import { useCallback, useEffect, useState } from 'react';
import type { ProfilesSnapshot, Result, WireError } from '../../shared/contract';
import { useApi } from '../api';

/**
 * The profiles as main last announced them. Main announces the CLI's changes too (it watches the
 * data folder); reading again when the window regains focus covers a platform where it cannot.
 */
export function useProfiles(report: (error: WireError) => void) {
  const api = useApi();
  const [snapshot, setSnapshot] = useState<ProfilesSnapshot | null>(null);
  const [loadError, setLoadError] = useState<WireError | null>(null);

  const apply = useCallback(
    (result: Result<ProfilesSnapshot>) => {
      if (result.ok) {
        setSnapshot(result.value);
        setLoadError(null);
      } else {
        setLoadError(result.error);
        report(result.error);
      }
    },
    [report],
  );

  useEffect(() => {
    const stop = api.onProfilesChanged((next) => setSnapshot(next));
    const reload = () => void api.listProfiles().then(apply);
    window.addEventListener('focus', reload);
    reload();
    return () => {
      stop();
      window.removeEventListener('focus', reload);
    };
  }, [api, apply]);

  return { snapshot, loadError };
}
