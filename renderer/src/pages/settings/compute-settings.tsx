// Settings → Compute: the connection to a worker fleet's queue (URL, password, TLS by rediss://)
// and store, its state, the workers, and where work runs. The password goes to the engine, which
// keeps it in the host's secret store when the connection is remembered; the page never holds it
// after the call.
import { useRef, useState, type FormEvent } from 'react';
import type { ComputeTarget, FleetStatus } from '../../../../shared/api.js';
import { ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { CheckField } from '../../components/check-field.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { Field } from '../../components/field.js';
import { useAction } from '../../lib/use-action.js';
import { COMPUTE_TARGETS, connectionLabel, placeNow, targetLabel } from './compute-labels.js';
import { FleetWorkers } from './fleet-workers.js';
import { useFleet } from './use-fleet.js';

export function ComputeSettings() {
  const box = useRef<HTMLElement>(null);
  const fleet = useFleet(box);
  const status = fleet.status;
  return (
    <section className="settings-section" ref={box} data-testid="compute-settings">
      <h2>Compute</h2>
      <p className="muted">
        Training runs and sweep trials train on this machine, or on a fleet of <code>cairn worker</code> processes that
        take jobs from a Redis queue and move data and models through a shared store.
      </p>
      {fleet.error && <ErrorPanel title="Could not read the fleet's state" error={fleet.error} />}
      {status && (
        <>
          <WhereWorkRuns status={status} onChanged={fleet.refresh} />
          <Connection status={status} onChanged={fleet.refresh} />
          {status.state !== 'disconnected' && (
            <div className="panel">
              <div className="panel-head">
                <h3 className="panel-title">Workers</h3>
                <span className="muted" data-testid="fleet-worker-count">
                  {fleet.workers ? `${fleet.workers.filter((w) => w.state !== 'lost').length} live` : ''}
                </span>
              </div>
              {fleet.workers && <FleetWorkers workers={fleet.workers} />}
            </div>
          )}
        </>
      )}
    </section>
  );
}

function WhereWorkRuns({ status, onChanged }: { status: FleetStatus; onChanged: () => void }) {
  const { client } = useApp();
  const action = useAction();
  const choose = (where: ComputeTarget) => action.run(() => client.call('fleet.setWhere', { where }), onChanged);
  return (
    <div className="panel">
      <div className="panel-head">
        <h3 className="panel-title" id="compute-where-title">
          Where work runs
        </h3>
      </div>
      <div className="compute-where" role="radiogroup" aria-labelledby="compute-where-title">
        {COMPUTE_TARGETS.map((t) => (
          <label key={t} className="check">
            <input
              type="radio"
              name="compute-where"
              checked={status.where === t}
              disabled={action.busy}
              onChange={() => choose(t)}
              data-testid={`compute-where-${t}`}
            />{' '}
            {targetLabel(t)}
          </label>
        ))}
      </div>
      <p className="muted" data-testid="compute-where-now">
        A new run {placeNow(status.where, status)}. The Train and Sweep dialogs can choose otherwise per run.
      </p>
      {action.error && <ErrorPanel title="Could not change where work runs" error={action.error} />}
    </div>
  );
}

function Connection({ status, onChanged }: { status: FleetStatus; onChanged: () => void }) {
  const { client } = useApp();
  const action = useAction();
  const [queue, setQueue] = useState(status.queue ?? '');
  const [password, setPassword] = useState('');
  const [store, setStore] = useState(status.store ?? '');
  const [storeSecret, setStoreSecret] = useState('');
  const onS3 = store.trim().startsWith('s3://');
  const [remember, setRemember] = useState(true);
  const open = status.state !== 'disconnected';

  const connect = (e: FormEvent) => {
    e.preventDefault();
    action.run(
      () =>
        client.call('fleet.connect', {
          queue: queue.trim(),
          ...(password ? { password } : {}),
          store: store.trim(),
          ...(onS3 && storeSecret ? { storeSecret } : {}),
          remember,
        }),
      () => {
        setPassword('');
        setStoreSecret('');
        onChanged();
      },
    );
  };
  const disconnect = (forget: boolean) => action.run(() => client.call('fleet.disconnect', { forget }), onChanged);

  return (
    <div className="panel compute-connection">
      <div className="panel-head">
        <h3 className="panel-title">Queue</h3>
        <span className={`fleet-state fleet-${status.state}`} data-testid="fleet-state">
          {connectionLabel(status.state)}
        </span>
        {status.jobs && (
          <span className="muted" data-testid="fleet-jobs">
            {status.jobs.active} running · {status.jobs.waiting + status.jobs.delayed} waiting · {status.jobs.failed}{' '}
            failed
          </span>
        )}
      </div>
      {status.error && status.state === 'disconnected' && (
        <ErrorPanel title="The last connection failed" error={new ApiError(status.error)} />
      )}
      {open ? (
        <dl className="fleet-facts">
          <dt>Queue</dt>
          <dd className="mono" data-testid="fleet-queue">
            {status.queue}
          </dd>
          <dt>Store</dt>
          <dd className="mono">{status.store}</dd>
          <dt>Job format</dt>
          <dd>{status.jobFormat}</dd>
        </dl>
      ) : (
        <form className="fleet-form" onSubmit={connect}>
          <AddressField
            label="Queue URL (rediss:// for TLS)"
            value={queue}
            onChange={setQueue}
            placeholder="redis://host:6379/0"
            testId="fleet-queue-url"
          />
          <SecretField
            label="Password (if it asks for one)"
            value={password}
            onChange={setPassword}
            testId="fleet-password"
          />
          <AddressField
            label="Store (shared folder or s3://bucket/prefix)"
            value={store}
            onChange={setStore}
            placeholder="/mnt/cairn"
            testId="fleet-store"
          />
          {onS3 && (
            <SecretField
              label="S3 secret key (of the key id in the URL)"
              value={storeSecret}
              onChange={setStoreSecret}
              testId="fleet-store-secret"
            />
          )}
          <CheckField checked={remember} onChange={setRemember} testId="fleet-remember">
            Connect again when Cairn opens (passwords and keys are kept in this computer’s secret store)
          </CheckField>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="fleet-connect">
              {action.busy ? 'Connecting…' : 'Connect'}
            </button>
          </div>
        </form>
      )}
      {open && (
        <div className="form-actions">
          <button type="button" className="btn" disabled={action.busy} onClick={() => disconnect(false)}>
            Disconnect
          </button>
          <button
            type="button"
            className="btn btn-ghost"
            disabled={action.busy}
            onClick={() => disconnect(true)}
            title="Disconnect and forget the queue, its store and its password"
          >
            Disconnect and forget
          </button>
        </div>
      )}
      {action.error && <ErrorPanel title="Could not connect" error={action.error} />}
    </div>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}

/** A required address (a URL or a path): typed as is, never spell-checked. */
function AddressField({ placeholder, ...props }: TextFieldProps & { placeholder: string }) {
  return (
    <Field label={props.label}>
      <input
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        placeholder={placeholder}
        spellCheck={false}
        required
        data-testid={props.testId}
      />
    </Field>
  );
}

/** A password or key: hidden, and never offered to the browser's autofill. */
function SecretField(props: TextFieldProps) {
  return (
    <Field label={props.label}>
      <input
        type="password"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        autoComplete="off"
        data-testid={props.testId}
      />
    </Field>
  );
}
