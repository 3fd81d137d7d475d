import { useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { ROW_HEIGHT, type RowWindow } from './virtual';

/** Keys that move between rows, and how far. */
const STEPS: Readonly<Record<string, (row: number, page: number, last: number) => number>> = {
  ArrowDown: (row) => row + 1,
  ArrowUp: (row) => row - 1,
  PageDown: (row, page) => row + page,
  PageUp: (row, page) => row - page,
  Home: () => 0,
  End: (_row, _page, last) => last,
};

/**
 * One Tab stop for a control repeated in every row of a virtualised table (a roving tabindex):
 * Tab enters at the current row and leaves the table at once, however many rows there are; the
 * arrow keys, Page Up/Down, Home and End move to another row, scrolling it into view and focusing
 * it once it is rendered. Without this, Tab would walk every row of ten thousand.
 */
export function useRowFocus(count: number, span: RowWindow, scroller: RefObject<HTMLElement | null>) {
  const [current, setCurrent] = useState(0);
  /** A row to focus as soon as it is rendered (after the scroll that brings it), and when asked. */
  const pending = useRef<{ row: number; at: number } | null>(null);
  const last = Math.max(0, count - 1);
  const row = Math.min(current, last);
  // The stop is the current row while it is rendered, else the first rendered row.
  const stop = row >= span.start && row < span.end ? row : span.start;

  useLayoutEffect(() => {
    const target = pending.current;
    if (target === null) return;
    // Late (the person went elsewhere meanwhile): never pull the focus back.
    if (performance.now() - target.at > 1000) return void (pending.current = null);
    const button = scroller.current?.querySelector<HTMLElement>(`[data-row="${target.row}"]`);
    if (!button) return;
    pending.current = null;
    button.focus({ preventScroll: true });
  });

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      const step = STEPS[event.key];
      const element = scroller.current;
      const from = (event.target as HTMLElement).dataset.row;
      if (!step || !element || from === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      const head = element.querySelector<HTMLElement>('[role="rowgroup"]')?.offsetHeight ?? 0;
      const page = Math.max(1, Math.floor((element.clientHeight - head) / ROW_HEIGHT) - 1);
      const next = Math.max(0, Math.min(last, step(Number(from), page, last)));
      if (next === Number(from)) return;
      // Into view: the row's top below the sticky header, its bottom above the table's edge.
      const top = next * ROW_HEIGHT;
      if (top < element.scrollTop) element.scrollTo({ top });
      else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight - head)
        element.scrollTo({ top: top + ROW_HEIGHT - (element.clientHeight - head) });
      const rendered = element.querySelector<HTMLElement>(`[data-row="${next}"]`);
      if (rendered) rendered.focus({ preventScroll: true });
      else pending.current = { row: next, at: performance.now() };
      setCurrent(next);
    },
    [last, scroller],
  );

  /** A row's control got the focus (by the keys, a click, or Tab): it is the current row now. */
  const focused = useCallback((index: number) => setCurrent(index), []);

  return { stop, onKeyDown, focused };
}
