/**
 * axe-core in the built window. The page's CSP allows no script but its own, so axe's source is
 * evaluated through the DevTools protocol (Playwright's page.evaluate), which CSP does not govern;
 * nothing about the page or its policy is changed for the check.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let source: Promise<string> | undefined;

/** What axe-core reports per rule, reduced to what a failure message needs. */
export interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** The impacts a check fails on. */
const BLOCKING = new Set(['critical', 'serious']);

interface AxeOnPage {
  run(
    context: unknown,
    options: unknown,
  ): Promise<{
    violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
  }>;
}

/** Every violation axe-core finds on the page as it is now (all impacts). */
async function axeViolations(page: Page): Promise<Violation[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!loaded)
    await page.evaluate((await (source ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8'))) + '\n;true');
  return page.evaluate(async () => {
    // Node's types: the page's globals are reached through globalThis.
    const { axe, document } = globalThis as unknown as { axe: AxeOnPage; document: unknown };
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map((node) => node.target.map(String).join(' ')),
    }));
  });
}

/** The critical and serious ones. */
export async function blockingViolations(page: Page): Promise<Violation[]> {
  return (await axeViolations(page)).filter((v) => BLOCKING.has(v.impact));
}

/** One line per violation: rule id, impact, where (axe's selectors), and axe's summary. */
export function describeViolations(state: string, found: readonly Violation[]): string {
  if (found.length === 0) return `${state}: no violations`;
  const lines = found.map(
    (v) =>
      `  ${v.id} (${v.impact}) at ${v.targets.slice(0, 5).join(' | ')}${v.targets.length > 5 ? ` and ${v.targets.length - 5} more` : ''}: ${v.help}`,
  );
  return `${state}: ${found.length} critical or serious axe-core violation(s):\n${lines.join('\n')}`;
}
