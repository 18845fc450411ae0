/**
 * WCAG AA text contrast, measured in the page: every element with text of its own (and every SVG
 * text of a chart) against the background it is drawn on, composited up through its ancestors.
 * The browser itself turns each computed colour (oklch, color-mix, rgb) into sRGB through a 1×1
 * canvas, so no colour syntax is parsed here. Normal text needs 4.5:1, large text (24px, or 18.66px
 * bold) 3:1; hidden, screen-reader-only and disabled text is exempt, as in WCAG.
 */
import type { Page } from '@playwright/test';

export interface ContrastFailure {
  text: string;
  ratio: number;
  needed: number;
  color: string;
  background: string;
  /** The element's classes, to find it. */
  where: string;
}

export function contrastFailures(page: Page, root = 'body'): Promise<ContrastFailure[]> {
  return page.evaluate((selector) => {
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no canvas');
    type RGBA = [number, number, number, number];
    const rgba = (css: string): RGBA => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = '#000';
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const d = ctx.getImageData(0, 0, 1, 1).data;
      return [d[0] ?? 0, d[1] ?? 0, d[2] ?? 0, (d[3] ?? 0) / 255];
    };
    const over = (top: RGBA, bottom: RGBA): RGBA => {
      const a = top[3];
      return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
    };
    // oxlint-disable-next-line unicorn/consistent-function-scoping -- this runs in the page: nothing outside the callback goes with it
    const lin = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    const luminance = ([r, g, b]: RGBA) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    const backgroundOf = (el: Element): RGBA => {
      const layers: RGBA[] = [];
      for (let node: Element | null = el; node; node = node.parentElement) {
        const bg = rgba(getComputedStyle(node).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let result: RGBA = layers.at(-1)?.[3] === 1 ? (layers.pop() as RGBA) : rgba(getComputedStyle(document.documentElement).colorScheme === 'dark' ? 'Canvas' : '#fff');
      for (const layer of layers.toReversed()) result = over(layer, result);
      return result;
    };
    // oxlint-disable-next-line unicorn/consistent-function-scoping -- this runs in the page: nothing outside the callback goes with it
    const hidden = (el: Element) => {
      if (el.closest('[disabled], [aria-disabled="true"], [aria-hidden="true"], .sr-only')) return true;
      const rect = el.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1) return true;
      const style = getComputedStyle(el);
      return style.visibility !== 'visible' || Number(style.opacity) === 0;
    };
    const failures: { text: string; ratio: number; needed: number; color: string; background: string; where: string }[] = [];
    const scope = document.querySelector(selector) ?? document.body;
    for (const el of scope.querySelectorAll('*')) {
      const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim();
      if (!own || hidden(el)) continue;
      const style = getComputedStyle(el);
      const isSvg = el instanceof SVGElement;
      const bg = backgroundOf(isSvg ? (el.closest('svg')?.parentElement ?? el) : el);
      const fg = over(rgba(isSvg ? style.fill : style.color), bg);
      const [l1, l2] = [luminance(fg), luminance(bg)].toSorted((a, b) => b - a);
      const ratio = ((l1 ?? 0) + 0.05) / ((l2 ?? 0) + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const needed = large ? 3 : 4.5;
      if (ratio < needed) failures.push({ text: own.slice(0, 60), ratio: Math.round(ratio * 100) / 100, needed, color: `rgb(${fg.slice(0, 3).map(Math.round).join(' ')})`, background: `rgb(${bg.slice(0, 3).map(Math.round).join(' ')})`, where: `${el.tagName.toLowerCase()}.${String(el.getAttribute('class') ?? '').split(/\s+/).slice(0, 6).join('.')}` });
    }
    return failures;
  }, root);
}
