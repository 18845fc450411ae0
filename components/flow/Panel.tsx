'use client';
import { useId, useRef, type ReactNode } from 'react';
import { HELP, type HelpKey } from '../../lib/shared/flow/help';

/** A computed colour (oklch, color-mix…) as plain rgba(), which every SVG viewer reads: the browser converts it. */
function plainColor(css: string): string {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx || css === 'none' || css === '') return css;
  ctx.fillStyle = css;
  ctx.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
  return `rgba(${r}, ${g}, ${b}, ${Math.round(((a ?? 255) / 255) * 1000) / 1000})`;
}

/** The chart's own <svg>, with its computed text styles inlined so the file looks the same elsewhere. */
function chartSvg(root: HTMLElement | null): { svg: string; width: number; height: number } | null {
  const svg = root?.querySelector('svg.recharts-surface');
  if (!(svg instanceof SVGSVGElement)) return null;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  // Colours are the theme's variables (globals.css): a file has no theme, so each is written as it is shown.
  const shown = [svg, ...svg.querySelectorAll('*')];
  [clone, ...clone.querySelectorAll('*')].forEach((el, i) => {
    const original = shown[i];
    if (!original) return;
    const style = getComputedStyle(original);
    const inline = el instanceof SVGElement ? el.style : null;
    for (const attr of ['fill', 'stroke', 'stop-color'] as const) {
      if (el.getAttribute(attr)?.includes('var(')) el.setAttribute(attr, plainColor(style.getPropertyValue(attr)));
      if (inline?.getPropertyValue(attr).includes('var(')) inline.setProperty(attr, plainColor(style.getPropertyValue(attr)));
    }
  });
  const { width, height } = svg.getBoundingClientRect();
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('font-family', 'system-ui, sans-serif');
  clone.setAttribute('font-size', '12');
  clone.insertAdjacentHTML('afterbegin', `<rect width="100%" height="100%" fill="${plainColor(getComputedStyle(svg).getPropertyValue('--color-white').trim() || 'white')}"/>`);
  return { svg: new XMLSerializer().serializeToString(clone), width, height };
}

function download(url: string, filename: string) {
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
}

function saveSvg(root: HTMLElement | null, name: string) {
  const out = chartSvg(root);
  if (!out) return;
  const url = URL.createObjectURL(new Blob([out.svg], { type: 'image/svg+xml' }));
  download(url, `${name}.svg`);
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function savePng(root: HTMLElement | null, name: string) {
  const out = chartSvg(root);
  if (!out) return;
  const img = new Image();
  const scale = 2;
  img.addEventListener('load', () => {
    const canvas = document.createElement('canvas');
    canvas.width = out.width * scale;
    canvas.height = out.height * scale;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    download(canvas.toDataURL('image/png'), `${name}.png`);
  });
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(out.svg)}`;
}

export function Help({ topic, align = 'left' }: { topic: HelpKey; align?: 'left' | 'right' }) {
  const id = useId();
  return (
    // The tip is display:none while hidden, so one near the page's edge never widens the page.
    <span className="group relative inline-flex">
      <button
        type="button"
        aria-describedby={id}
        aria-label="What does this show?"
        className="flex size-5 items-center justify-center rounded-full bg-slate-200 text-xs font-bold text-slate-600 hover:bg-slate-300 focus-visible:outline-2 focus-visible:outline-sky-600"
      >
        ?
      </button>
      <span
        role="tooltip"
        id={id}
        className={`pointer-events-none absolute top-6 z-20 hidden w-80 max-w-[80vw] rounded-lg bg-slate-900 px-3 py-2 text-xs leading-relaxed font-normal text-slate-100 shadow-lg group-focus-within:block group-hover:block ${align === 'right' ? 'right-0' : 'left-0'}`}
      >
        {HELP[topic]}
      </span>
    </span>
  );
}

interface PanelProps {
  title: string;
  help: HelpKey;
  /** File name for the chart export; no export buttons without it. */
  exportName?: string;
  actions?: ReactNode;
  className?: string;
  children: ReactNode;
  testId?: string;
}

export function Panel({ title, help, exportName, actions, className = '', children, testId }: PanelProps) {
  const ref = useRef<HTMLElement>(null);
  return (
    <section ref={ref} className={`flex min-w-0 flex-col rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 ${className}`} data-testid={testId}>
      <header className="mb-2 flex flex-wrap items-center gap-2">
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        <Help topic={help} />
        <div className="ml-auto flex items-center gap-1">
          {actions}
          {exportName ? (
            <>
              <button type="button" className="rounded px-1.5 py-0.5 text-xs text-slate-500 hover:bg-slate-100 hover:text-slate-800" onClick={() => saveSvg(ref.current, exportName)}>
                SVG
              </button>
              <button type="button" className="rounded px-1.5 py-0.5 text-xs text-slate-500 hover:bg-slate-100 hover:text-slate-800" onClick={() => savePng(ref.current, exportName)}>
                PNG
              </button>
            </>
          ) : null}
        </div>
      </header>
      {children}
    </section>
  );
}

export function Toggle<T extends string>({ value, options, onChange, label }: { value: T; options: readonly { value: T; label: string }[]; onChange(v: T): void; label: string }) {
  return (
    <div role="group" aria-label={label} className="inline-flex rounded-lg bg-slate-100 p-0.5 text-xs">
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={value === o.value}
          onClick={() => onChange(o.value)}
          className={`rounded-md px-2 py-0.5 font-medium ${value === o.value ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600 hover:text-slate-900'}`}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
