/**
 * axe-core (WCAG 2.1 A and AA, and axe's best practices) run in the page, in the light and the dark
 * theme. A violation fails the test with axe's rule, its impact, and the nodes it found, so a new
 * one names itself.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export interface AxeFinding {
  rule: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

/** What axe finds on the page as it is now, in the current theme. `include` narrows it to one part (a dialog). */
export async function axeFindings(page: Page, include?: string): Promise<AxeFinding[]> {
  // Colours that change with a transition are measured where they end.
  // A transition cancelled by the next style change rejects its `finished` (AbortError): it ended too.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  let builder = new AxeBuilder({ page }).withTags(AXE_TAGS);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  return violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.replaceAll('\n', ' ') ?? ''}`.slice(0, 400)),
  }));
}

/** No axe violation in either theme; the page is left in the theme it had (light unless set). */
export async function expectAxeClean(page: Page, label: string, include?: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveCSS('color-scheme', colorScheme);
    expect(await axeFindings(page, include), `axe on ${label}, ${colorScheme} theme`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
