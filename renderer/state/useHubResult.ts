import { useCallback, useEffect, useRef, useState } from 'react';
import type { Result, WireError } from '../../shared/contract';

export type Loaded<T> = { status: 'loading' } | { status: 'loaded'; value: T } | { status: 'failed'; error: WireError };

/**
 * One call's answer (`load`, memoised by the caller), asked again when `load` changes or on
 * `reload`; an answer that a newer call made moot is dropped. Until the first answer for `key`
 * (say, another profile) it is loading, never the last key's value. `set` replaces the value
 * (an action's result is the newer state).
 */
export function useHubResult<T>(load: () => Promise<Result<T>>, key: string) {
  const [state, setState] = useState<{ key: string; value: Loaded<T> } | null>(null);
  const run = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++run.current;
    const result = await load();
    if (run.current !== mine) return;
    setState({
      key,
      value: result.ok ? { status: 'loaded', value: result.value } : { status: 'failed', error: result.error },
    });
  }, [load, key]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const set = useCallback(
    (value: T) => {
      run.current += 1;
      setState({ key, value: { status: 'loaded', value } });
    },
    [key],
  );

  const value: Loaded<T> = state?.key === key ? state.value : { status: 'loading' };
  return { state: value, reload, set };
}
