'use client';
import type { TextareaHTMLAttributes } from 'react';
import { LIMITS } from '../../lib/shared/domain/limits';
import { inputClass } from './Field';

type ReasonFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'> & {
  value: string;
  onChange(value: string): void;
};

/**
 * The text box of a reason (a defect sending a card back, what blocks a card): three rows, the
 * reason's length limit, focused first, and Ctrl/⌘+Enter sends its form.
 */
export function ReasonField({ value, onChange, ...rest }: ReasonFieldProps) {
  return (
    <textarea
      autoFocus
      rows={3}
      maxLength={LIMITS.reason}
      className={inputClass}
      data-autofocus
      {...rest}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) e.currentTarget.form?.requestSubmit();
      }}
    />
  );
}
