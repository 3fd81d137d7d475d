import { useCallback, useEffect, useState } from 'react';
import type { CliLinkDone, CliLinkPreview, CliStatusView, WireError } from '../../shared/contract';
import { useApi } from '../api';
import { useHubResult, type Loaded } from './useHubResult';

export type CliMode = 'external' | 'uri';

/** What `cli-config link --as` takes (printable ASCII, up to 128). */
const CLI_PROFILE_NAME = /^[\x21-\x7e][\x20-\x7e]{0,127}$/;

/** The preview waits this long after the last keystroke. */
const PREVIEW_DELAY_MS = 250;

/** `cli-config status` for the whole file, and its repair. */
export function useCliStatus() {
  const api = useApi();
  const load = useCallback(() => api.cliStatus(), [api]);
  const { state, set, reload } = useHubResult<CliStatusView>(load, 'status');
  const [fixing, setFixing] = useState(false);
  const [failure, setFailure] = useState<WireError | null>(null);
  const fix = async () => {
    setFixing(true);
    const result = await api.fixCliLinks();
    setFixing(false);
    setFailure(result.ok ? null : result.error);
    if (result.ok) set(result.value);
  };
  return { state, reload, fix, fixing, failure };
}

/** The link form: the preview follows mode and name (debounced); Link writes it. */
export function useCliLink(profileId: string, mode: CliMode, cliProfile: string) {
  const api = useApi();
  const valid = CLI_PROFILE_NAME.test(cliProfile);
  const key = `${profileId}\u0000${mode}\u0000${cliProfile}`;
  const [preview, setPreview] = useState<{ key: string; value: Loaded<CliLinkPreview> } | null>(null);
  const [done, setDone] = useState<{ key: string; value: CliLinkDone } | null>(null);
  const [failure, setFailure] = useState<WireError | null>(null);
  const [linking, setLinking] = useState(false);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!valid) return;
    let live = true;
    const timer = setTimeout(() => {
      void api.previewCliLink({ id: profileId, mode, cliProfile }).then((result) => {
        if (!live) return;
        setPreview({
          key,
          value: result.ok ? { status: 'loaded', value: result.value } : { status: 'failed', error: result.error },
        });
      });
    }, PREVIEW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, profileId, mode, cliProfile, valid, key, round]);

  const link = async (): Promise<boolean> => {
    setLinking(true);
    const result = await api.linkCli({ id: profileId, mode, cliProfile });
    setLinking(false);
    setFailure(result.ok ? null : result.error);
    if (!result.ok) return false;
    setDone({ key, value: result.value });
    // The file changed: what a link would change now is nothing.
    setRound((n) => n + 1);
    return true;
  };

  return {
    valid,
    preview: preview?.key === key ? preview.value : ({ status: 'loading' } as const),
    done: done?.key.startsWith(`${profileId}\u0000`) ? done.value : null,
    failure,
    linking,
    link,
  };
}
