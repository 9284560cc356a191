// A form control under its small grey label, the whole of it one <label> so a click on the words
// focuses the control (train.css styles .field and .field-label).
import type { ReactNode } from 'react';

interface FieldProps {
  /** The words above the control. */
  label: ReactNode;
  /** A class besides `field`, for the place's own layout. */
  className?: string;
  children: ReactNode;
}

export function Field({ label, className, children }: FieldProps) {
  return (
    <label className={className ? `field ${className}` : 'field'}>
      <span className="field-label">{label}</span>
      {children}
    </label>
  );
}
