'use client';
import { useId, useState, type FormEvent } from 'react';
import { Button } from '../ui/Button';
import { Modal } from '../ui/Modal';
import { ReasonField } from '../ui/ReasonField';

/** Blocking a card from the standup: what blocks it, as the card dialog asks on the board (the reason may stay empty). */
export function BlockDialog({ cardTitle, onConfirm, onCancel }: { cardTitle: string; onConfirm(reason: string | null): void; onCancel(): void }) {
  const [reason, setReason] = useState('');
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onConfirm(reason.trim() || null);
  };
  return (
    <Modal title="What blocks this card?" description={<strong className="font-semibold text-slate-800">{cardTitle}</strong>} onClose={onCancel} testId="block-dialog" size="md">
      <form onSubmit={submit} className="space-y-4">
        <label htmlFor={id} className="block text-sm font-medium text-slate-700">
          Blocker (optional)
        </label>
        <ReasonField id={id} value={reason} onChange={setReason} placeholder="e.g. Waiting on the vendor's certificate" data-testid="block-reason-input" />
        <div className="flex justify-end gap-2">
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" variant="danger" data-testid="block-confirm">
            Mark blocked
          </Button>
        </div>
      </form>
    </Modal>
  );
}
