// The test console of one endpoint: pick a served model (its default, a version or an alias), fill
// a form generated from its input schema, send it through the host (endpoints.testPredict), and
// read the answer and its latency (with Explain ticked, also why: the prediction's contributions as
// a waterfall); the same request as a curl command to copy. A picture model's console takes a
// picture file instead of fields.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { Endpoint, EndpointTestResult, InputField, ModelCardView } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { Chart } from '../../components/chart.js';
import { CheckField } from '../../components/check-field.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { FileButton } from '../../components/file-button.js';
import { formatFull, formatStat } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { waterfallOption } from '../runs/explain-charts.js';
import { consoleExplanation } from './console-explanation.js';
import {
  cardFits,
  curlSnippet,
  defaultValues,
  fileBase64,
  PICTURE_TYPES,
  pictureCurlSnippet,
  routesOf,
  toInstance,
  type FormValues,
  type InstanceValue,
  type Route,
} from './console-form.js';
import { CopyButton } from './copy-button.js';

export function TestConsole({ endpoint }: { endpoint: Endpoint }) {
  const { client } = useApp();
  const routes = useMemo(() => routesOf(endpoint), [endpoint]);
  const [routeKey, setRouteKey] = useState<string | undefined>(undefined);
  const route = routes.find((r) => r.key === routeKey) ?? routes[0];
  const card = useAsync<ModelCardView>(
    route ? () => client.call('models.card', { name: route.model, version: route.version }) : null,
    [client, route?.model, route?.version],
  );

  if (!route) return <p className="muted">This endpoint serves no model that loaded.</p>;
  const fits = card.data && cardFits(route, card.data) ? card.data : undefined;
  return (
    <section className="panel test-console" data-testid="test-console">
      <div className="panel-head">
        <h2 className="panel-title">Test console</h2>
        <select
          value={route.key}
          onChange={(e) => setRouteKey(e.target.value)}
          aria-label="Model route"
          data-testid="console-route"
        >
          {routes.map((r) => (
            <option key={r.key} value={r.key}>
              {r.label}
            </option>
          ))}
        </select>
      </div>
      {card.error && (
        <ErrorPanel title={`Could not read ${route.model} v${route.version}'s inputs`} error={card.error} />
      )}
      {fits &&
        (fits.image ? (
          <PictureForm key={`${route.key}:${fits.version}`} endpoint={endpoint} route={route} card={fits} />
        ) : (
          <ConsoleForm key={`${route.key}:${fits.version}`} endpoint={endpoint} route={route} card={fits} />
        ))}
      {!fits && !card.error && <p className="muted small">Loading the input schema…</p>}
    </section>
  );
}

function ConsoleForm({ endpoint, route, card }: { endpoint: Endpoint; route: Route; card: ModelCardView }) {
  const [values, setValues] = useState<FormValues>(() => defaultValues(card.inputs, card.trainingData));
  // The instance the answer is for: the waterfall labels its columns with these values.
  const [sent, setSent] = useState<Record<string, InstanceValue>>({});
  const [explain, setExplain] = useState(false);
  const { busy, result, answers, error, post } = useTestPredict(endpoint, route);
  const built = toInstance(card.inputs, values);
  const fieldErrors = 'errors' in built ? built.errors : {};
  const instance = 'instance' in built ? built.instance : undefined;

  const send = (e: FormEvent) => {
    e.preventDefault();
    if (!instance || busy) return;
    post(
      () => Promise.resolve([instance]),
      explain,
      () => setSent(instance),
    );
  };

  const curlArgs = {
    url: endpoint.url ?? '',
    model: route.model,
    target: route.target,
    instances: instance ? [instance] : [],
    apiKey: endpoint.apiKey,
    explain,
  };

  return (
    <div className="console-body">
      <form className="console-form" onSubmit={send} data-testid="console-form">
        <div className="console-fields">
          {card.inputs.map((f) => (
            <FieldInput
              key={f.name}
              field={f}
              value={values[f.name]}
              error={fieldErrors[f.name]}
              onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
            />
          ))}
        </div>
        <p className="small muted">
          Empty fields are sent as null (unknown), which the model fills in as it did in training.
        </p>
        <div className="console-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={!instance || busy || endpoint.status !== 'running'}
            data-testid="console-send"
          >
            {busy ? 'Sending…' : 'Send'}
          </button>
          <CheckField checked={explain} onChange={setExplain} testId="console-explain">
            Explain
          </CheckField>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => setValues(defaultValues(card.inputs, card.trainingData))}
          >
            Reset to typical values
          </button>
          {endpoint.status !== 'running' && <span className="small warn">The endpoint is {endpoint.status}.</span>}
        </div>
      </form>
      {error && <ErrorPanel title="The request did not reach the endpoint" error={error} />}
      {result && <ConsoleResult result={result} card={card} answers={answers} sent={sent} />}
      <CurlBlock endpoint={endpoint} snippet={(keyPlaceholder) => curlSnippet({ ...curlArgs, ...keyPlaceholder })} />
    </div>
  );
}

/**
 * Sends instances through the host (endpoints.testPredict) and keeps the answer, or why it did not
 * come; `answers` counts them, telling one answer from the next when they read the same.
 */
function useTestPredict(endpoint: Endpoint, route: Route) {
  const { client } = useApp();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<EndpointTestResult | undefined>(undefined);
  const [answers, setAnswers] = useState(0);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const post = (instances: () => Promise<Record<string, unknown>[]>, explain: boolean, onAnswer?: () => void): void => {
    setBusy(true);
    setError(undefined);
    instances()
      .then((list) =>
        client.call('endpoints.testPredict', {
          endpointId: endpoint.id,
          model: route.model,
          ...route.target,
          instances: list,
          ...(explain ? { explain: true } : {}),
        }),
      )
      .then(
        (r) => {
          setResult(r);
          onAnswer?.();
          setAnswers((n) => n + 1);
          setBusy(false);
        },
        (err: unknown) => {
          setError(toApiError(err));
          setResult(undefined);
          setBusy(false);
        },
      );
  };
  return { busy, result, answers, error, post, clear: () => setResult(undefined) };
}

/**
 * A picture model's console: choose a picture (PNG, JPEG or WebP), see it, send it as
 * {"image": {"b64"}}, and read the label and every class's probability; the curl command sends
 * the same file as a raw body.
 */
function PictureForm({ endpoint, route, card }: { endpoint: Endpoint; route: Route; card: ModelCardView }) {
  const [file, setFile] = useState<File | undefined>(undefined);
  const { busy, result, answers, error, post, clear } = useTestPredict(endpoint, route);
  const preview = useMemo(() => (file ? URL.createObjectURL(file) : undefined), [file]);
  useEffect(() => () => (preview ? URL.revokeObjectURL(preview) : undefined), [preview]);

  const send = (e: FormEvent) => {
    e.preventDefault();
    if (!file || busy) return;
    post(async () => [{ image: { b64: await fileBase64(file) } }], false);
  };
  const size = card.image
    ? `${card.image.size} × ${card.image.size} px ${card.image.channels === 1 ? 'grey' : 'colour'}`
    : '';

  return (
    <div className="console-body">
      <form className="console-form console-picture" onSubmit={send} data-testid="console-form">
        <div className="console-picture-row">
          <div className="console-picture-frame">
            {preview ? (
              <img src={preview} alt={file?.name ?? ''} data-testid="console-picture-preview" />
            ) : (
              <span className="small muted">No picture yet</span>
            )}
          </div>
          <div className="console-picture-side">
            <FileButton
              onFiles={(files) => {
                setFile(files[0]);
                clear();
              }}
              primary={false}
              testId="console-picture"
              label={file ? 'Choose another picture…' : 'Choose a picture…'}
              accept={PICTURE_TYPES.join(',')}
              multiple={false}
              inputLabel="Choose a picture to send"
            />
            <span className="small mono ellipsis" data-testid="console-picture-name">
              {file ? file.name : ''}
            </span>
            <p className="small muted">This model takes pictures: it sees each one as {size}, scaled as in training.</p>
          </div>
        </div>
        <div className="console-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={!file || busy || endpoint.status !== 'running'}
            data-testid="console-send"
          >
            {busy ? 'Sending…' : 'Send'}
          </button>
          {endpoint.status !== 'running' && <span className="small warn">The endpoint is {endpoint.status}.</span>}
        </div>
      </form>
      {error && <ErrorPanel title="The request did not reach the endpoint" error={error} />}
      {result && <ConsoleResult result={result} card={card} answers={answers} sent={{}} />}
      <CurlBlock
        endpoint={endpoint}
        snippet={(keyPlaceholder) =>
          pictureCurlSnippet({
            url: endpoint.url ?? '',
            model: route.model,
            target: route.target,
            apiKey: endpoint.apiKey,
            file,
            ...keyPlaceholder,
          })
        }
      />
    </div>
  );
}

/** The request as a curl command, the key hidden on screen (Show key) and put in by Copy. */
function CurlBlock({
  endpoint,
  snippet,
}: {
  endpoint: Endpoint;
  snippet: (keyPlaceholder: { keyPlaceholder?: string }) => string;
}) {
  const [showKey, setShowKey] = useState(false);
  return (
    <div className="curl-block">
      <div className="curl-head">
        <h3>curl</h3>
        {endpoint.apiKey && (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={() => setShowKey((s) => !s)}
            data-testid="curl-show-key"
          >
            {showKey ? 'Hide key' : 'Show key'}
          </button>
        )}
        <CopyButton text={snippet({})} label="Copy curl" testId="copy-curl" />
      </div>
      <pre className="curl mono" data-testid="curl-snippet">
        {snippet(showKey ? {} : { keyPlaceholder: '$CAIRN_API_KEY' })}
      </pre>
      {endpoint.apiKey && !showKey && (
        <p className="small muted">
          Copy puts the real key in; on screen it reads <code>$CAIRN_API_KEY</code>.
        </p>
      )}
    </div>
  );
}

function FieldInput({
  field: f,
  value,
  error,
  onChange,
}: {
  field: InputField;
  value: string | boolean | undefined;
  error?: string;
  onChange: (v: string | boolean) => void;
}) {
  const id = `console-field-${f.name}`;
  const text = typeof value === 'string' ? value : '';
  let control;
  if (f.kind === 'boolean') {
    control = (
      <input
        id={id}
        type="checkbox"
        checked={value === true}
        onChange={(e) => onChange(e.target.checked)}
        data-testid="console-field"
        data-name={f.name}
      />
    );
  } else if (f.kind === 'categorical') {
    control = (
      <select
        id={id}
        value={text}
        onChange={(e) => onChange(e.target.value)}
        data-testid="console-field"
        data-name={f.name}
      >
        <option value="">(unknown)</option>
        {(f.categories ?? []).map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    );
  } else if (f.kind === 'datetime') {
    control = (
      <input
        id={id}
        type="datetime-local"
        step="1"
        value={text}
        onChange={(e) => onChange(e.target.value)}
        data-testid="console-field"
        data-name={f.name}
      />
    );
  } else {
    control = (
      <input
        id={id}
        type="text"
        inputMode={f.kind === 'integer' ? 'numeric' : 'decimal'}
        value={text}
        placeholder="null"
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={Boolean(error)}
        data-testid="console-field"
        data-name={f.name}
      />
    );
  }
  return (
    <label className={`console-field ${f.kind === 'boolean' ? 'console-field-check' : ''}`} htmlFor={id}>
      <span className="console-field-name">
        {f.name} <span className="small muted">{f.kind}</span>
      </span>
      {control}
      {error && <span className="small field-error">{error}</span>}
    </label>
  );
}

interface Prediction {
  label?: string;
  probabilities?: Record<string, number>;
  value?: number;
}

/** The first prediction of a 200 answer, if it has the shape the endpoint gives. */
function firstPrediction(body: unknown): Prediction | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const preds = (body as { predictions?: unknown }).predictions;
  return Array.isArray(preds) && typeof preds[0] === 'object' && preds[0] !== null
    ? (preds[0] as Prediction)
    : undefined;
}

function ConsoleResult({
  result,
  card,
  answers,
  sent,
}: {
  result: EndpointTestResult;
  card: ModelCardView;
  answers: number;
  sent: Record<string, InstanceValue>;
}) {
  const ok = result.status >= 200 && result.status < 300;
  const p = ok ? firstPrediction(result.body) : undefined;
  const why = useMemo(() => (ok ? consoleExplanation(result.body, sent) : undefined), [ok, result, sent]);
  const waterfall = useMemo(() => why && waterfallOption(why.row, why.outputLabel), [why]);
  const probs = p?.probabilities ? Object.entries(p.probabilities).sort((a, b) => b[1] - a[1]) : [];
  // A class for a classifier, a number for a regressor.
  const predicted = p?.label ?? p?.value;
  return (
    <div className={`console-result ${ok ? 'ok' : 'refused'}`} data-testid="console-result" data-answers={answers}>
      <div className="console-result-head">
        <span className={`http-status ${ok ? 'ok' : 'bad'}`} data-testid="console-status">
          {result.status}
        </span>
        <span className="small muted" data-testid="console-latency">
          {result.latencyMs.toFixed(1)} ms round trip
        </span>
        <span className="small muted ellipsis mono">{result.url}</span>
      </div>
      {p && predicted !== undefined && (
        <div className="console-prediction">
          <div>
            <span className="small muted">predicted {card.target}</span>
            <div
              className="console-label"
              data-testid={p.label !== undefined ? 'console-label' : 'console-value'}
              title={typeof predicted === 'number' ? formatFull(predicted) : undefined}
            >
              {typeof predicted === 'number' ? formatStat(predicted) : predicted}
            </div>
          </div>
          {p.label !== undefined && (
            <table className="prob-table" data-testid="console-probabilities">
              <tbody>
                {probs.map(([cls, pr]) => (
                  <tr key={cls} className={cls === p.label ? 'top' : ''}>
                    <td className="prob-class">{cls}</td>
                    <td className="prob-bar-cell">
                      <span className="prob-bar" style={{ width: `${Math.max(0, Math.min(1, pr)) * 100}%` }} />
                    </td>
                    <td className="num mono">{pr.toFixed(3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {why && waterfall && (
        <div className="console-explanation" data-testid="console-explanation">
          <h3>Why, column by column</h3>
          <p className="small muted">
            How each column moves the {why.outputLabel} from its average over the training data (base) to this
            prediction&apos;s; {why.method}.
          </p>
          <Chart
            option={waterfall}
            height={48 + (Object.keys(why.row.contributions).length + 2) * 26}
            label="Contributions to this prediction"
            testId="console-waterfall"
          />
        </div>
      )}
      {/* Read from the answer above when it is a prediction; a refusal's body is the news. */}
      <details className="console-json-box" open={!p}>
        <summary className="small">Response body</summary>
        <pre className="console-json mono" data-testid="console-json">
          {JSON.stringify(result.body, null, 2)}
        </pre>
      </details>
    </div>
  );
}
