// The labelled inputs of the Train dialog: a field with an optional hint, and a number field that
// keeps the text as typed and may be left empty for "automatic".
import { useEffect, useState, type ReactNode } from 'react';
import type { ChoiceSetting, ChoiceValue, NumberSetting } from '../../../../shared/training-settings.js';
import type { TrainForm } from './train-form.js';

export function Field({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <label className="field">
      <span className="field-label">
        {label}
        {hint && <span className="field-hint"> · {hint}</span>}
      </span>
      {children}
    </label>
  );
}

/** A select of a choice setting's options, labelled as the setting is. */
export function ChoiceField<S extends ChoiceSetting<string>>(props: {
  setting: S;
  value: ChoiceValue<S>;
  onChange: (value: ChoiceValue<S>) => void;
  hint?: string;
  testId?: string;
}) {
  const { setting, value, onChange, hint, testId } = props;
  return (
    <Field label={setting.label} hint={hint}>
      <select aria-label={setting.label} data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        {setting.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

type NumberFieldProps = {
  label: string;
  step: number;
  error?: ReactNode;
  testId?: string;
} & (
  | { optional?: false; value: number; onChange: (v: number) => void }
  /** Empty means "automatic": the engine chooses. */
  | { optional: true; value: number | undefined; onChange: (v: number | undefined) => void }
);

export function NumberField(props: NumberFieldProps) {
  const { label, value, step, error, testId } = props;
  const shown = value === undefined ? '' : String(value);
  // The text is kept as typed ("0." on the way to "0.5"); the number goes up when it parses.
  const [text, setText] = useState(shown);
  useEffect(() => {
    const typed = text.trim() === '' ? undefined : Number(text);
    if (typed !== value) setText(shown);
    // Only an outside change of value resets the text, not every keystroke.
  }, [value]);
  return (
    <label className="field field-number">
      <span className="field-label">{label}</span>
      <input
        type="number"
        inputMode="decimal"
        step={step}
        value={text}
        placeholder={props.optional ? 'automatic' : undefined}
        data-testid={testId}
        aria-label={label}
        onChange={(e) => {
          setText(e.target.value);
          const empty = e.target.value.trim() === '';
          if (props.optional) props.onChange(empty ? undefined : Number(e.target.value));
          else props.onChange(empty ? Number.NaN : Number(e.target.value));
        }}
      />
      {error}
    </label>
  );
}

/** The form's numbers it always has, and those it may leave empty ("automatic"). */
type RequiredNumberKey = { [K in keyof TrainForm]: TrainForm[K] extends number ? K : never }[keyof TrainForm];
type OptionalNumberKey = {
  [K in keyof TrainForm]: number | undefined extends TrainForm[K]
    ? TrainForm[K] extends number | undefined
      ? K
      : never
    : never;
}[keyof TrainForm];

/** What a field bound to the Train dialog's form reads and writes. */
export interface FormBinding {
  form: TrainForm;
  set: <K extends keyof TrainForm>(key: K, value: TrainForm[K]) => void;
  fieldError: (key: string) => ReactNode;
}

type SettingFieldProps = {
  binding: FormBinding;
  setting: NumberSetting;
  /** Where the dialog words it otherwise than the setting's label. */
  label?: string;
  testId?: string;
} & ({ name: RequiredNumberKey; optional?: false } | { name: OptionalNumberKey; optional: true });

/**
 * A NumberField bound to one of the form's numbers, labelled as its setting is and stepping by
 * the setting's step (1 where it names none); its error is the form's for that key.
 */
export function SettingField(props: SettingFieldProps) {
  const { binding, setting, testId } = props;
  const { form, set, fieldError } = binding;
  const field = { label: props.label ?? setting.label, testId, step: setting.step ?? 1, error: fieldError(props.name) };
  return props.optional ? (
    <NumberField {...field} optional value={form[props.name]} onChange={(v) => set(props.name, v)} />
  ) : (
    <NumberField {...field} value={form[props.name]} onChange={(v) => set(props.name, v)} />
  );
}

/** Train, validation and test percentages side by side. */
export function SplitFields({
  split,
  onChange,
}: {
  split: TrainForm['split'];
  onChange: (split: TrainForm['split']) => void;
}) {
  return (
    <div className="split-row">
      {(['train', 'validation', 'test'] as const).map((k) => (
        <NumberField
          key={k}
          label={`${k} %`}
          value={split[k]}
          step={1}
          onChange={(v) => onChange({ ...split, [k]: v })}
        />
      ))}
    </div>
  );
}

/** The name the run's model is saved under (the dataset's by default). */
export function ModelNameField({ value, onChange }: { value: string; onChange: (name: string) => void }) {
  return (
    <Field label="Save as model">
      <input
        aria-label="Model name"
        data-testid="train-model-name"
        value={value}
        maxLength={200}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}
