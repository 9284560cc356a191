// A <select> over a fixed list of string choices (a union type such as AlertMetric), so a page
// gets back a value of that type instead of casting the DOM's string itself.
interface ChoiceSelectProps<T extends string> {
  value: T;
  choices: readonly T[];
  /** What a choice reads as in the list. */
  label: (choice: T) => string;
  onChange: (choice: T) => void;
  testId: string;
  title?: string;
}

export function ChoiceSelect<T extends string>({
  value,
  choices,
  label,
  onChange,
  testId,
  title,
}: ChoiceSelectProps<T>) {
  return (
    // Every option's value is one of `choices`, so the selected value is a T.
    <select value={value} onChange={(e) => onChange(e.target.value as T)} data-testid={testId} title={title}>
      {choices.map((c) => (
        <option key={c} value={c}>
          {label(c)}
        </option>
      ))}
    </select>
  );
}
