'use client';
import { useId, useState, type FormEvent } from 'react';
import { Button } from '../ui/Button';
import { FormError } from '../ui/Field';
import { Modal } from '../ui/Modal';
import { ReasonField } from '../ui/ReasonField';

interface ReasonDialogProps {
  cardTitle: string;
  fromName: string;
  toName: string;
  onConfirm(reason: string): void;
  onCancel(): void;
  returnFocus(): HTMLElement | null;
}

/** A backward move passes a defect downstream: it goes back only with the defect named. */
export function ReasonDialog({ cardTitle, fromName, toName, onConfirm, onCancel, returnFocus }: ReasonDialogProps) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setError('Say what defect sends it back, so the upstream work center can fix its cause');
      return;
    }
    onConfirm(reason.trim());
  };

  return (
    <Modal
      title="What defect sends this back?"
      description={
        <>
          <strong className="font-semibold text-slate-800">{cardTitle}</strong> goes back from <strong>{fromName}</strong> to{' '}
          <strong>{toName}</strong>. It will carry a defect badge, and {toName} counts it as a defect returned.
        </>
      }
      onClose={onCancel}
      testId="reason-dialog"
      returnFocus={returnFocus}
      size="md"
    >
      <form onSubmit={submit} className="space-y-4">
        <label htmlFor={id} className="sr-only">
          The defect found
        </label>
        <ReasonField
          id={id}
          value={reason}
          onChange={(value) => {
            setReason(value);
            if (error) setError(null);
          }}
          placeholder="e.g. Fails the load test at 10k accounts"
          data-testid="reason-input"
          aria-invalid={error !== null}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <FormError message={error} id={`${id}-error`} />
        <div className="flex justify-end gap-2">
          <Button onClick={onCancel} data-testid="reason-cancel">
            Keep it in {fromName}
          </Button>
          <Button type="submit" variant="danger" data-testid="reason-confirm">
            ↩ Send back to {toName}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
