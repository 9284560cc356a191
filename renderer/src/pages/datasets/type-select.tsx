import type { ColumnType } from '../../../../shared/api.js';

// Listed here rather than imported from shared/api.ts, whose values would pull zod into the
// bundle; the type below stops compiling if the two lists drift apart.
const columnTypes = [
  'numeric',
  'integer',
  'categorical',
  'boolean',
  'datetime',
  'text',
] as const satisfies readonly ColumnType[];
const _everyType: Exclude<ColumnType, (typeof columnTypes)[number]> extends never ? true : false = true;
void _everyType;

interface TypeSelectProps {
  column: string;
  value: ColumnType;
  inferred: ColumnType;
  disabled?: boolean;
  onChange: (t: ColumnType) => void;
}

/** The semantic type of a column, correctable; the inferred type stays marked in the list. */
export function TypeSelect({ column, value, inferred, disabled, onChange }: TypeSelectProps) {
  return (
    <select
      className={`type-select type-${value}${value !== inferred ? ' type-corrected' : ''}`}
      aria-label={`Type of ${column}`}
      data-testid="type-select"
      value={value}
      disabled={disabled}
      onClick={(e) => e.stopPropagation()}
      onChange={(e) => onChange(e.target.value as ColumnType)}
    >
      {columnTypes.map((t) => (
        <option key={t} value={t}>
          {t === inferred && t !== value ? `${t} (inferred)` : t}
        </option>
      ))}
    </select>
  );
}
