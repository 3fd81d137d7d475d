/**
 * Keyboard-only driving for the end-to-end window: focus moves with Tab and Shift+Tab, controls
 * act on Enter, Space, Escape and the arrow keys, and a counter in the page proves no pointer
 * event ever reached it.
 */
import type { Locator, Page } from 'playwright-core';

/** Whether `target` holds the focus now. */
export async function hasFocus(target: Locator): Promise<boolean> {
  if ((await target.count()) === 0) return false;
  return target.evaluate(
    (element) => element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
  );
}

/** What holds the focus, in a few words (for a failure's message). */
function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = (globalThis as unknown as { document: { activeElement: { outerHTML: string } | null } }).document
      .activeElement;
    return active ? active.outerHTML.slice(0, 160) : '(nothing)';
  });
}

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus; returns how many presses it took.
 * Fails, naming what has the focus, when it never gets there.
 */
export async function tabTo(
  page: Page,
  target: Locator,
  options: { back?: boolean; max?: number } = {},
): Promise<number> {
  const max = options.max ?? 80;
  for (let presses = 0; presses <= max; presses++) {
    if (await hasFocus(target)) return presses;
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(
    `${options.back ? 'Shift+Tab' : 'Tab'} did not reach ${String(target)} in ${max} presses; focus is on ${await focusedText(page)}`,
  );
}

/** Counts pointer events from now on (a keyboard-only test ends with zero). */
export async function countPointerEvents(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const scope = globalThis as unknown as {
      __pointerEvents?: number;
      addEventListener: (type: string, listener: () => void, capture: boolean) => void;
    };
    scope.__pointerEvents = 0;
    for (const type of ['pointerdown', 'mousedown', 'touchstart', 'wheel']) {
      scope.addEventListener(type, () => (scope.__pointerEvents = (scope.__pointerEvents ?? 0) + 1), true);
    }
  });
  return () => page.evaluate(() => (globalThis as unknown as { __pointerEvents?: number }).__pointerEvents ?? -1);
}

/** The aria-rowindex of the table row that holds the focus, or null when none does. */
export function focusedRowIndex(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    type Node = { closest(selector: string): { getAttribute(name: string): string | null } | null };
    const active = (globalThis as unknown as { document: { activeElement: Node | null } }).document.activeElement;
    return active?.closest('[role="row"]')?.getAttribute('aria-rowindex') ?? null;
  });
}
