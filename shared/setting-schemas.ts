// The zod schemas of the training settings (training-settings.ts), and the checks made with them.
// Apart from the settings themselves so that reading a setting's bounds or choices loads no zod.
import { z } from 'zod';
import { describeBounds, type ChoiceSetting, type ChoiceValue, type NumberSetting } from './training-settings.js';

/** The zod schema of a number setting's value (no default: callers add `.optional()` or `.default()`). */
export function numberSchema(s: NumberSetting): z.ZodNumber {
  let n = s.type === 'integer' ? z.number().int() : z.number();
  n = s.above ? n.gt(s.min) : n.min(s.min);
  return n.max(s.max);
}

/** The zod enum of a choice setting. */
export function choiceSchema<S extends ChoiceSetting<string>>(s: S): z.ZodEnum<{ [K in ChoiceValue<S>]: K }> {
  return z.enum(s.options.map((o) => o.value) as [ChoiceValue<S>, ...ChoiceValue<S>[]]);
}

/** Why a value does not fit a number setting ("Epochs: a whole number from 1 to 100,000."), or undefined. */
export function checkNumber(s: NumberSetting, value: number): string | undefined {
  return numberSchema(s).safeParse(value).success ? undefined : `${s.label}: ${describeBounds(s)}.`;
}
