// The rules behind the generated parameter panel: which fields show (visibleWhen), what value a
// field shows (the param, else its default), how an edit writes back (an emptied optional field
// leaves the file, so it keeps its default), and which validation issues belong to which field.
import type { ParamField, PipelineIssue } from '../../../../shared/pipeline.js';

type Params = Record<string, unknown>;

/** A field's value in a node's params: as written, else its default. */
export function fieldValue(field: ParamField, params: Params): unknown {
  return params[field.name] !== undefined ? params[field.name] : field.default;
}

/** Whether a field applies, given its siblings' values (e.g. "stratify by" only for a stratified split). */
export function fieldVisible(field: ParamField, fields: readonly ParamField[], params: Params): boolean {
  const when = field.visibleWhen;
  if (!when) return true;
  const other = fields.find((f) => f.name === when.field);
  const value = other ? fieldValue(other, params) : params[when.field];
  return when.oneOf.some((v) => v === value);
}

/** Params with one field set; undefined removes it (an emptied optional number or line). */
export function withParam(params: Params, name: string, value: unknown): Params {
  const next = { ...params };
  if (value === undefined) delete next[name];
  else next[name] = value;
  return next;
}

/**
 * What an emptied text box writes: a required field keeps "" (so the panel says it is required),
 * an optional one without a default leaves the file.
 */
export function textValue(field: ParamField, text: string): string | undefined {
  if (text !== '' || field.required || field.default !== undefined) return text;
  return undefined;
}

/** A number box's text as a value: empty -> undefined, otherwise the number (NaN stays for the check to name). */
export function numberValue(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

/** The issues of one node. */
export function nodeIssues(issues: readonly PipelineIssue[], nodeId: string): PipelineIssue[] {
  return issues.filter((i) => i.nodeId === nodeId);
}

/** The issues that name a field (or something inside it, e.g. gates.1 or rules.0.value). */
export function fieldIssues(issues: readonly PipelineIssue[], field: string): PipelineIssue[] {
  return issues.filter((i) => i.field === field || (i.field?.startsWith(`${field}.`) ?? false));
}

/** Issues of a node that no shown field will display (missing inputs, cycles, unknown params). */
export function otherIssues(issues: readonly PipelineIssue[], shownFields: readonly string[]): PipelineIssue[] {
  return issues.filter((i) => !i.field || !shownFields.some((f) => i.field === f || i.field?.startsWith(`${f}.`)));
}

/** A new item of an object-list field: each sub-field's default. */
export function newListItem(fields: readonly ParamField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f.default !== undefined) out[f.name] = structuredClone(f.default);
  return out;
}
