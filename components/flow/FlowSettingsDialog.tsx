'use client';
import { useId, useState, type FormEvent } from 'react';
import { LIMITS } from '../../lib/shared/domain/limits';
import type { FlowData } from '../../lib/shared/flow/data';
import { Button } from '../ui/Button';
import { Field, FormError, inputClass } from '../ui/Field';
import { Modal } from '../ui/Modal';

interface Props {
  data: FlowData;
  /** The board's explicit setting (null: the default, the second work center). */
  onSave(settings: { demandPerWeek: number | null; commitmentColumnId: string | null }): Promise<string | null>;
  onClose(): void;
}

/** Board flow settings: the customer's demand, and where cycle time starts. */
export function FlowSettingsDialog({ data, onSave, onClose }: Props) {
  const live = data.columns.filter((c) => c.live);
  const [demand, setDemand] = useState(data.demandPerWeek === null ? '' : String(data.demandPerWeek));
  const [commitment, setCommitment] = useState(data.commitmentColumnId);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const ids = { demand: useId(), commit: useId() };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const text = demand.trim();
    const value = text === '' ? null : Number(text);
    if (value !== null && (!Number.isFinite(value) || value < 0 || value > LIMITS.demandPerWeekMax)) {
      return setError(`Demand is a number of cards per week from 0 to ${LIMITS.demandPerWeekMax}, or empty`);
    }
    setSaving(true);
    const failure = await onSave({ demandPerWeek: value, commitmentColumnId: commitment });
    setSaving(false);
    if (failure) setError(failure);
    else onClose();
  };

  return (
    <Modal title="Flow settings" onClose={onClose} testId="flow-settings-dialog">
      <form onSubmit={(e) => void save(e)} className="space-y-4" noValidate>
        <Field label="Customer demand (cards per week)" htmlFor={ids.demand} hint="What the customer needs each week; leave empty when unknown.">
          <input
            id={ids.demand}
            inputMode="decimal"
            value={demand}
            onChange={(e) => setDemand(e.target.value)}
            placeholder="e.g. 12"
            className={inputClass}
            data-testid="demand-input"
            autoFocus
          />
        </Field>
        <Field label="Commitment point (cycle time starts here)" htmlFor={ids.commit} hint="By default the second work center.">
          <select id={ids.commit} value={commitment} onChange={(e) => setCommitment(e.target.value)} className={inputClass} data-testid="commitment-select">
            {live.slice(0, -1).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <FormError message={error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={saving} data-testid="flow-settings-save">
            Save
          </Button>
        </div>
      </form>
    </Modal>
  );
}
