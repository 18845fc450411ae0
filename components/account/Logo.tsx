export function Logo({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden>
      <path d="M3 8h8l5 8-5 8H3l5-8z" fill="#38bdf8" />
      <path d="M15 8h8l5 8-5 8h-8l5-8z" fill="#e2e8f0" />
    </svg>
  );
}
