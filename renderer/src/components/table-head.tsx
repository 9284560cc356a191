// A table's header row from its list of headings, so each table names its columns in one place
// (and numeric columns are right-aligned the same way everywhere).
import type { ReactNode } from 'react';

/**
 * A column's heading: its text, or `num` for a column of numbers (right-aligned), or an empty
 * heading named only for screen readers (`ariaLabel`). An empty string heads an unnamed column.
 */
export type Heading = string | { label: ReactNode; num?: boolean; ariaLabel?: string };

export function TableHead({ columns }: { columns: readonly Heading[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => {
          const { label, num, ariaLabel } = typeof c === 'string' ? { label: c } : c;
          return (
            // Headings are a fixed list per table: their position is their identity.
            <th key={i} className={num ? 'num' : undefined} aria-label={ariaLabel}>
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
