'use client';
import { useState } from 'react';
import { apiCall } from '../../lib/client/api';
import { Button } from '../ui/Button';
import { FormError } from '../ui/Field';

export function AcceptInvite({ token, userName }: { token: string; userName: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const accept = async () => {
    setBusy(true);
    const result = await apiCall<{ boardId: string }>('POST', '/api/invites/accept', { token });
    if (result.ok) {
      window.location.assign(`/boards/${result.data.boardId}`);
      return;
    }
    setBusy(false);
    setError(result.message);
  };
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        You will join as <span className="font-semibold text-slate-900">{userName}</span>.
      </p>
      <FormError message={error} />
      <Button variant="primary" className="w-full py-2" disabled={busy} onClick={() => void accept()} data-testid="accept-invite">
        {busy ? 'Joining…' : 'Join the board'}
      </Button>
    </div>
  );
}
