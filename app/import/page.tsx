import type { Metadata } from 'next';
import Link from 'next/link';
import { ImportForm } from '../../components/flow/ImportForm';
import { requireUser } from '../../lib/server/session';

export const metadata: Metadata = { title: 'Import a work-item history' };

/** Signed-in only: the imported board belongs to whoever imports it. */
export default async function ImportPage() {
  await requireUser('/import');
  return (
    <main className="mx-auto max-w-2xl space-y-4 p-6">
      <Link href="/" className="text-sm text-sky-700 hover:underline">
        ← All boards
      </Link>
      <h1 className="text-2xl font-bold tracking-tight">Import a work-item history</h1>
      <p className="text-sm text-slate-600">
        The file becomes a new board whose work centers are its date columns, with every item’s history as events in the past, so its
        cumulative flow and metrics are right at once. A file with any bad row imports nothing: each problem is listed with its line.
      </p>
      <div className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <ImportForm />
      </div>
    </main>
  );
}
