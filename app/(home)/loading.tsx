export default function Loading() {
  return (
    <main className="mx-auto max-w-5xl px-6 py-10" aria-busy="true">
      <p className="sr-only">Loading boards…</p>
      <div className="h-8 w-48 animate-pulse rounded bg-slate-200" />
      <div className="mt-8 grid gap-3">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-16 animate-pulse rounded-xl bg-slate-200" />
        ))}
      </div>
    </main>
  );
}
