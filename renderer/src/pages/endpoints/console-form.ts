// The test console's pure side: form values from a model's input schema (prefilled from its
// training data), the instance a form becomes, model references for a start request, and the
// curl snippet that sends the same request. Unit-tested apart from the views.
import type { Endpoint, InputField, TrainingDataSummary } from '../../../../shared/api.js';
import { predictPath, type PredictTarget } from '../../../../shared/endpoint-routes.js';

/** What each control holds: text for inputs and selects, a flag for checkboxes. */
export type FormValues = Record<string, string | boolean>;

/** A value a form field becomes in the instance; null is "unknown" (imputed as in training). */
export type InstanceValue = number | string | boolean | null;

/** Readable numbers for a prefilled field: a mean of 5.843333 shows as 5.84. */
function roundish(x: number): string {
  if (!Number.isFinite(x)) return '';
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 1 ? 2 : 3;
  return String(Number(x.toFixed(digits)));
}

/** Starting values: the training mean (rounded; whole for integers), the most common category, false. */
export function defaultValues(fields: readonly InputField[], data: TrainingDataSummary | null = null): FormValues {
  const values: FormValues = {};
  for (const f of fields) {
    const col = data?.columns.find((c) => c.name === f.name);
    if (f.kind === 'boolean') {
      values[f.name] = col?.topValues?.[0]?.value.toLowerCase() === 'true';
    } else if (f.kind === 'categorical') {
      const top = col?.topValues?.find((t) => f.categories?.includes(t.value))?.value;
      values[f.name] = top ?? f.categories?.[0] ?? '';
    } else if (f.kind === 'numeric' || f.kind === 'integer') {
      const mean = typeof col?.mean === 'number' ? col.mean : typeof col?.min === 'number' ? col.min : undefined;
      values[f.name] = mean === undefined ? '' : f.kind === 'integer' ? String(Math.round(mean)) : roundish(mean);
    } else {
      values[f.name] = '';
    }
  }
  return values;
}

/** The instance the form describes, or a message per field it cannot send. */
export function toInstance(
  fields: readonly InputField[],
  values: FormValues,
): { instance: Record<string, InstanceValue> } | { errors: Record<string, string> } {
  const instance: Record<string, InstanceValue> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = values[f.name];
    if (f.kind === 'boolean') {
      instance[f.name] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') {
      instance[f.name] = null;
      continue;
    }
    if (f.kind === 'numeric' || f.kind === 'integer') {
      const x = Number(text);
      if (!Number.isFinite(x)) errors[f.name] = 'not a number';
      else if (f.kind === 'integer' && !Number.isInteger(x)) errors[f.name] = 'not a whole number';
      else instance[f.name] = x;
    } else {
      // Categories as chosen; datetime-local's "2024-05-01T12:30" is read as UTC, as in training.
      instance[f.name] = text;
    }
  }
  return Object.keys(errors).length ? { errors } : { instance };
}

/** How one model is served by a start request: its default, an alias, or a pinned version. */
export type ModelChoice = { kind: 'default' } | { kind: 'alias'; alias: string } | { kind: 'version'; version: number };

/** The reference endpoints.start reads: name, name@alias or name:version. */
export function modelRef(name: string, choice: ModelChoice): string {
  if (choice.kind === 'alias') return `${name}@${choice.alias}`;
  if (choice.kind === 'version') return `${name}:${choice.version}`;
  return name;
}

/** Single quotes for a POSIX shell: 'it'\''s'. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface CurlArgs {
  /** The endpoint's base URL. */
  url: string;
  model: string;
  target?: PredictTarget;
  instances: readonly Record<string, InstanceValue>[];
  apiKey?: string | null;
  /** Shows the key as this text instead (e.g. while it is hidden on screen). */
  keyPlaceholder?: string;
  /** Asks for each prediction's contributions (?explain=true). */
  explain?: boolean;
}

/** A curl command that sends the console's request. */
export function curlSnippet({ url, model, target, instances, apiKey, keyPlaceholder, explain }: CurlArgs): string {
  const lines = curlHead({ url, model, target, apiKey, keyPlaceholder, explain }, 'application/json');
  lines.push(`-d ${shellQuote(JSON.stringify({ instances }))}`);
  return lines.join(' \\\n  ');
}

/** The Content-Types a picture may be sent as, raw, to a picture model (the endpoint's PICTURE_BODY_TYPES). */
export const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;

/**
 * A curl command that sends one picture file as the body (a picture model's raw input):
 * `--data-binary @file` sends its bytes as they are, where `-d` would strip line breaks.
 */
export function pictureCurlSnippet(
  args: Omit<CurlArgs, 'instances' | 'explain'> & { file: { name: string; type: string } | undefined },
): string {
  const type = (PICTURE_TYPES as readonly string[]).includes(args.file?.type ?? '') ? args.file?.type : 'image/png';
  const lines = curlHead(args, type ?? 'image/png');
  lines.push(`--data-binary ${shellQuote(`@${args.file?.name ?? 'file.png'}`)}`);
  return lines.join(' \\\n  ');
}

/** The POST, its Content-Type and the key: how every console curl command begins. */
function curlHead(
  { url, model, target, apiKey, keyPlaceholder, explain }: Omit<CurlArgs, 'instances'>,
  contentType: string,
): string[] {
  const lines = [
    `curl -sS -X POST ${shellQuote(`${url.replace(/\/+$/, '')}${predictPath(model, target, explain)}`)}`,
    `-H ${shellQuote(`Content-Type: ${contentType}`)}`,
  ];
  if (apiKey) lines.push(`-H ${shellQuote(`Authorization: Bearer ${keyPlaceholder ?? apiKey}`)}`);
  return lines;
}

/** A file's bytes in base64, as a picture instance carries them ({"image": {"b64": ...}}). */
export async function fileBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Whether an address is this machine only (no API key needed), as the engine decides it. */
export function isLoopback(host: string): boolean {
  const h = host.trim();
  return h === '127.0.0.1' || h === '::1' || h === 'localhost' || /^127\./.test(h);
}

/** The key with all but its last four characters hidden. */
export function maskKey(key: string): string {
  return `${'•'.repeat(Math.max(4, key.length - 4))}${key.slice(-4)}`;
}

/**
 * Whether a model card describes the route's model version. While the card of a newly picked
 * route loads, the previous route's card is still at hand: a form seeded from it would keep the
 * other model's values.
 */
export function cardFits(route: Route, card: { name: string; version: number }): boolean {
  return card.name.toLowerCase() === route.model.toLowerCase() && card.version === route.version;
}

/** The routes the console offers: each model's default, then its served versions and their aliases. */
export interface Route {
  key: string;
  label: string;
  model: string;
  /** The version the route answers with, for its card. */
  version: number;
  target: PredictTarget;
}

export function routesOf(endpoint: Endpoint): Route[] {
  const routes: Route[] = [];
  for (const m of endpoint.models.filter((x) => x.isDefault && !x.error))
    routes.push({
      key: `${m.name}`,
      label: `${m.name} (default → v${m.version})`,
      model: m.name,
      version: m.version,
      target: {},
    });
  for (const m of endpoint.models.filter((x) => !x.error)) {
    routes.push({
      key: `${m.name}:${m.version}`,
      label: `${m.name} version ${m.version}`,
      model: m.name,
      version: m.version,
      target: { version: m.version },
    });
    for (const a of m.aliases)
      routes.push({
        key: `${m.name}@${a}`,
        label: `${m.name} alias ${a} → v${m.version}`,
        model: m.name,
        version: m.version,
        target: { alias: a },
      });
  }
  return routes;
}
