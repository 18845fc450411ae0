/**
 * What the page's live regions said, in order: a MutationObserver in the page writes down each new
 * text of any element inside an aria-live region (or role status/alert), with the region's test id
 * (or id). A test then reads back exactly what a screen reader was given.
 */
import type { Page } from '@playwright/test';

export interface Said {
  region: string;
  text: string;
}

declare global {
  interface Window {
    flowboardSaid?: Said[];
  }
}

/** Starts listening; the regions must be in the page (they always are on the board). */
export async function listenToLiveRegions(page: Page): Promise<void> {
  await page.evaluate(() => {
    if (window.flowboardSaid) return;
    const said: Said[] = [];
    window.flowboardSaid = said;
    // oxlint-disable-next-line unicorn/consistent-function-scoping -- this runs in the page: nothing outside the callback goes with it
    const regionOf = (node: Node | null): HTMLElement | null => {
      const el = node instanceof HTMLElement ? node : (node?.parentElement ?? null);
      return el?.closest<HTMLElement>('[aria-live], [role="status"], [role="alert"]') ?? null;
    };
    const last = new Map<HTMLElement, string>();
    new MutationObserver((mutations) => {
      for (const m of mutations) {
        const region = regionOf(m.target);
        if (!region) continue;
        const text = (region.textContent ?? '').trim();
        if (!text || last.get(region) === text) continue;
        last.set(region, text);
        said.push({ region: region.dataset.testid ?? region.id ?? region.getAttribute('role') ?? '?', text });
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** Everything said so far, optionally in one region only (a test id, or the start of an id). */
export async function saidSoFar(page: Page, region?: string): Promise<string[]> {
  const all = await page.evaluate(() => window.flowboardSaid ?? []);
  return all.filter((s) => region === undefined || s.region === region || s.region.startsWith(region)).map((s) => s.text);
}
