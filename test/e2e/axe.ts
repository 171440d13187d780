// Accessibility checks in browser tests: axe-core run inside the page, failing on serious or critical violations.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

/** axe-core's browser build, read once. */
let source: Promise<string> | undefined;
const axeSource = () => {
  source ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return source;
};

const FAILING: readonly ImpactValue[] = ['serious', 'critical'];

export interface AxeViolation {
  id: string;
  impact: ImpactValue | undefined;
  help: string;
  /** One CSS selector per offending element, with axe's summary of what is wrong with it. */
  nodes: { target: string; summary: string }[];
}

/**
 * Runs axe-core on the page as it is now and fails, naming each offending element, when a violation is serious or
 * critical. Injected by evaluation rather than a script tag, so pages with a strict Content-Security-Policy are
 * checked too. Returns every violation (minor and moderate ones included) for tests that look further.
 */
export async function assertAccessible(
  page: Page,
  { label, options }: { label: string; options?: RunOptions },
): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await axeSource());
  const violations = await page.evaluate(async (runOptions) => {
    const { axe } = window as unknown as { axe: { run(c: Document, o: object): Promise<AxeResults> } };
    const results = await axe.run(document, { ...runOptions, resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? undefined,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
    }));
  }, options ?? {});
  const failing = violations.filter((v) => v.impact && FAILING.includes(v.impact));
  assert.deepEqual(
    failing.map((v) => v.id),
    [],
    `${label}: ${failing.length} serious or critical accessibility violation(s)\n${failing.map(describe).join('\n')}`,
  );
  return violations;
}

function describe(v: AxeViolation): string {
  const nodes = v.nodes
    .slice(0, 10)
    .map((n) => `    ${n.target}\n      ${n.summary.replace(/\n/g, '\n      ')}`)
    .join('\n');
  const more = v.nodes.length > 10 ? `\n    … and ${v.nodes.length - 10} more` : '';
  return `  ${v.id} (${v.impact}, ${v.nodes.length} element(s)): ${v.help}\n${nodes}${more}`;
}
