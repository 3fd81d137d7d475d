import { useLayoutEffect, useState, type RefObject, type UIEvent } from 'react';

export const ROW_HEIGHT = 32;
/** Rows rendered above and below the visible ones, for smooth scrolling. */
const OVERSCAN = 8;
/** Never more rows in the DOM than this, however many buckets or however tall the window. */
export const MAX_ROWS = 60;
/** Where layout is unknown (a test DOM), assume a window of this height. */
const FALLBACK_HEIGHT = 480;

export interface RowWindow {
  start: number;
  end: number;
  /** Total height of all rows, so the scrollbar is true to the count. */
  height: number;
  /** Offset of the first rendered row. */
  offset: number;
}

/** Which rows to render for a scroll position: the visible ones plus overscan, at most MAX_ROWS. */
export function rowWindow(count: number, scrollTop: number, viewport: number): RowWindow {
  const budget = Math.min(MAX_ROWS, Math.ceil(viewport / ROW_HEIGHT) + 2 * OVERSCAN);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const end = Math.min(count, first + budget);
  const start = Math.max(0, Math.min(first, end - budget));
  return { start, end, height: count * ROW_HEIGHT, offset: start * ROW_HEIGHT };
}

/** Tracks the scroll container's position and height; returns the rows to render and the scroll handler. */
export function useRowWindow(count: number, scroller: RefObject<HTMLElement | null>) {
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_HEIGHT);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setViewport(element.clientHeight || FALLBACK_HEIGHT));
    observer.observe(element);
    return () => observer.disconnect();
  }, [scroller]);

  const onScroll = (event: UIEvent<HTMLElement>) => setScrollTop(event.currentTarget.scrollTop);
  return { window: rowWindow(count, scrollTop, viewport), onScroll };
}
