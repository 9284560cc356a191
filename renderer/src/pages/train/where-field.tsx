// "Train on" in the Train and Sweep dialogs: the saved setting (Settings → Compute) unless this
// request names another place, with where the run will train now given beside it.
import type { ComputeTarget, FleetStatus } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { useAsync } from '../../lib/use-async.js';
import { COMPUTE_TARGETS, placeNow, targetLabel } from '../settings/compute-labels.js';
import { Field } from './form-fields.js';

const SETTING = 'setting';

interface WhereFieldProps {
  /** Undefined: the saved setting. */
  value: ComputeTarget | undefined;
  onChange: (where: ComputeTarget | undefined) => void;
  testId: string;
}

export function WhereField({ value, onChange, testId }: WhereFieldProps) {
  const { client } = useApp();
  const status = useAsync<FleetStatus>(() => client.call('fleet.status', {}), [client]);
  const setting = status.data?.where ?? 'local';
  return (
    <Field label="Train on" hint={status.data ? placeNow(value ?? setting, status.data) : undefined}>
      <select
        aria-label="Train on"
        data-testid={testId}
        value={value ?? SETTING}
        onChange={(e) =>
          onChange(e.target.value === SETTING ? undefined : COMPUTE_TARGETS.find((t) => t === e.target.value))
        }
      >
        <option value={SETTING}>As set: {targetLabel(setting).toLowerCase()}</option>
        {COMPUTE_TARGETS.map((t) => (
          <option key={t} value={t}>
            {targetLabel(t)}
          </option>
        ))}
      </select>
    </Field>
  );
}
