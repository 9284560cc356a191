// A checkbox with its words in one clickable label: the retrain policy's triggers, an alert rule's
// Enabled, the run comparison's "Only differences".
import type { ReactNode } from 'react';

interface CheckFieldProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
  /** The label's class: `check` (a flex row, base.css) unless the place styles its own. */
  className?: string;
  children: ReactNode;
}

/** A labelled checkbox that reports the new checked state. */
export function CheckField({ checked, onChange, testId, className = 'check', children }: CheckFieldProps) {
  return (
    <label className={className}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />{' '}
      {children}
    </label>
  );
}
