// "Start endpoint": one or more models, each served at its default (production, else latest),
// an alias or a pinned version; a port (free when empty) and an address (this machine by
// default; any other address gets an API key).
import { useState, type FormEvent } from 'react';
import type { Endpoint, ModelDetail, ModelSummary } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { useAsync } from '../../lib/use-async.js';
import { isLoopback, modelRef, type ModelChoice } from './console-form.js';

/** A choice as the select's value: "default", "alias:production", "version:3". */
function choiceValue(c: ModelChoice): string {
  return c.kind === 'default' ? 'default' : c.kind === 'alias' ? `alias:${c.alias}` : `version:${c.version}`;
}

function parseChoice(v: string): ModelChoice {
  if (v.startsWith('alias:')) return { kind: 'alias', alias: v.slice(6) };
  if (v.startsWith('version:')) return { kind: 'version', version: Number(v.slice(8)) };
  return { kind: 'default' };
}

export function StartForm({ onStarted, onCancel }: { onStarted: (e: Endpoint) => void; onCancel?: () => void }) {
  const { client } = useApp();
  const models = useAsync<ModelSummary[]>(() => client.call('models.list', {}), [client]);
  const [chosen, setChosen] = useState<ReadonlyMap<string, ModelChoice>>(new Map());
  const [port, setPort] = useState('');
  const [host, setHost] = useState('127.0.0.1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);

  const portText = port.trim();
  const portNumber = portText === '' ? undefined : Number(portText);
  const portBad = portNumber !== undefined && (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535);
  const hostText = host.trim() || '127.0.0.1';
  const open = !isLoopback(hostText);

  const toggle = (name: string, on: boolean) =>
    setChosen((m) => {
      const next = new Map(m);
      if (on) next.set(name, { kind: 'default' });
      else next.delete(name);
      return next;
    });
  const choose = (name: string, c: ModelChoice) => setChosen((m) => new Map(m).set(name, c));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy || chosen.size === 0 || portBad) return;
    setBusy(true);
    setError(undefined);
    const refs = [...chosen].map(([name, c]) => modelRef(name, c));
    client
      .call('endpoints.start', {
        models: refs,
        host: hostText,
        ...(portNumber !== undefined ? { port: portNumber } : {}),
      })
      .then(
        (ep) => {
          setBusy(false);
          setChosen(new Map());
          onStarted(ep);
        },
        (err: unknown) => {
          setError(toApiError(err));
          setBusy(false);
        },
      );
  };

  return (
    <form className="start-form panel" onSubmit={submit} data-testid="start-form">
      <h2 className="panel-title">Start an endpoint</h2>
      <p className="small muted">
        One endpoint serves one or more models over HTTP, each at /v1/models/&lt;name&gt;/predict. It runs in its own
        process and is restarted if it dies.
      </p>
      {models.error && <ErrorPanel title="Could not list models" error={models.error} />}
      {models.data?.length === 0 && (
        <p className="muted">No models yet: train one first (a successful run saves a model version).</p>
      )}
      {models.data && models.data.length > 0 && (
        <fieldset className="start-models">
          <legend>Models</legend>
          {models.data.map((m) => (
            <ModelPick
              key={m.name}
              model={m}
              choice={chosen.get(m.name)}
              onToggle={(on) => toggle(m.name, on)}
              onChoose={(c) => choose(m.name, c)}
            />
          ))}
        </fieldset>
      )}
      <div className="start-address">
        <label className="field">
          <span>Address</span>
          <input
            list="endpoint-hosts"
            value={host}
            onChange={(e) => setHost(e.target.value)}
            data-testid="start-host"
            spellCheck={false}
          />
          <datalist id="endpoint-hosts">
            <option value="127.0.0.1">this machine only</option>
            <option value="0.0.0.0">every network interface</option>
          </datalist>
        </label>
        <label className="field">
          <span>Port</span>
          <input
            inputMode="numeric"
            placeholder="any free port"
            value={port}
            onChange={(e) => setPort(e.target.value)}
            data-testid="start-port"
            aria-invalid={portBad}
          />
        </label>
      </div>
      <p className={`small ${open ? 'warn' : 'muted'}`} data-testid="start-host-note">
        {open
          ? `${hostText} can be reached from other machines: the endpoint will require an API key (Authorization: Bearer …), generated now and shown with the endpoint.`
          : 'Only this machine can reach it; no API key is needed. Any other address gets an API key.'}
        {portBad ? ' The port must be a whole number from 1 to 65535.' : ''}
      </p>
      {error && <ErrorPanel title="The endpoint did not start" error={error} />}
      <div className="start-actions">
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
        <button
          type="submit"
          className="btn btn-primary"
          disabled={busy || chosen.size === 0 || portBad}
          data-testid="start-submit"
        >
          {busy ? 'Starting…' : chosen.size > 1 ? `Start endpoint (${chosen.size} models)` : 'Start endpoint'}
        </button>
      </div>
    </form>
  );
}

function ModelPick({
  model: m,
  choice,
  onToggle,
  onChoose,
}: {
  model: ModelSummary;
  choice?: ModelChoice;
  onToggle: (on: boolean) => void;
  onChoose: (c: ModelChoice) => void;
}) {
  const { client } = useApp();
  // Versions only once the model is picked: the list may hold many models.
  const detail = useAsync<ModelDetail>(choice ? () => client.call('models.get', { name: m.name }) : null, [
    client,
    m.name,
    Boolean(choice),
    m.updatedAt,
  ]);
  const production = m.aliases.find((a) => a.alias.toLowerCase() === 'production');
  const defaultLabel = production
    ? `default: production → v${production.version}`
    : `default: latest → v${m.latestVersion}`;
  const versions = detail.data?.versions.map((v) => v.version) ?? [m.latestVersion];
  return (
    <div className={`model-pick ${choice ? 'on' : ''}`} data-testid="start-model" data-name={m.name}>
      <label className="model-pick-name">
        <input
          type="checkbox"
          checked={Boolean(choice)}
          onChange={(e) => onToggle(e.target.checked)}
          data-testid="start-model-check"
        />
        <strong>{m.name}</strong>
        <span className="small muted">
          {m.task ?? ''} · {m.versionCount} version{m.versionCount === 1 ? '' : 's'}
        </span>
      </label>
      <select
        value={choice ? choiceValue(choice) : 'default'}
        disabled={!choice}
        onChange={(e) => onChoose(parseChoice(e.target.value))}
        aria-label={`Version of ${m.name}`}
        data-testid="start-model-version"
      >
        <option value="default">{defaultLabel}</option>
        {m.aliases.map((a) => (
          <option key={a.alias} value={`alias:${a.alias}`}>
            alias {a.alias} → v{a.version}
          </option>
        ))}
        {versions.map((v) => (
          <option key={v} value={`version:${v}`}>
            version {v} (pinned)
          </option>
        ))}
      </select>
    </div>
  );
}
