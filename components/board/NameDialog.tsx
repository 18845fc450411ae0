'use client';
import { useId, useState, type FormEvent } from 'react';
import { LIMITS } from '../../lib/domain/limits';
import { guestName, isValidName } from '../../lib/client/displayName';
import { Button } from '../ui/Button';
import { Field, FormError, inputClass } from '../ui/Field';
import { Modal } from '../ui/Modal';

interface NameDialogProps {
  current: string | null;
  onSave(name: string): void;
  onClose(): void;
}

/**
 * First visit: who are you? Shown to the others in the presence bar and in card history. Skipping
 * joins under the suggested guest name rather than leaving the board read-only.
 */
export function NameDialog({ current, onSave, onClose }: NameDialogProps) {
  const [guest] = useState(guestName);
  const [name, setName] = useState(() => current ?? guest);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!isValidName(name)) {
      setError(`A name is 1 to ${LIMITS.actorName} characters`);
      return;
    }
    onSave(name.trim());
  };

  return (
    <Modal
      title={current ? 'Change your name' : 'Who is at the board?'}
      description="Your name shows next to the people viewing this board and in every card's history."
      onClose={current ? onClose : () => onSave(guest)}
      testId="name-dialog"
    >
      <form onSubmit={submit} className="space-y-4">
        <Field label="Your name" htmlFor={id}>
          <input
            id={id}
            autoFocus
            value={name}
            maxLength={LIMITS.actorName}
            onChange={(e) => setName(e.target.value)}
            onFocus={(e) => e.target.select()}
            className={inputClass}
            data-testid="name-input"
          />
        </Field>
        <FormError message={error} />
        <div className="flex justify-end gap-2">
          {current ? <Button onClick={onClose}>Cancel</Button> : <Button onClick={() => onSave(guest)}>Skip: join as {guest}</Button>}
          <Button type="submit" variant="primary" data-testid="name-save">
            {current ? 'Save' : 'Join the board'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
