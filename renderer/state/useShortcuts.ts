import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { isShortcut } from '../format';

/** Ctrl/⌘+K and Ctrl/⌘+F for the whole window (the handlers may change every render). */
export function useShortcuts(handlers: { k: () => void; f: () => void }): void {
  const latest = useRef(handlers);
  // On commit, so a key pressed right after a render already sees that render's handlers.
  useLayoutEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (isShortcut(event, 'k')) {
        event.preventDefault();
        latest.current.k();
      } else if (isShortcut(event, 'f')) {
        event.preventDefault();
        latest.current.f();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

/** The current time, moved on every `everyMs` (status marks and expiries follow it). */
export function useTicker(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
