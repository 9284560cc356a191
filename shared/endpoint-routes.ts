// The prediction routes of an endpoint, shared by the host's test console and the UI's curl snippet.

/** Which version of a model a request means: its default (production, else latest), a version, or an alias. */
export interface PredictTarget {
  version?: number;
  alias?: string;
}

/** The path of a prediction route; `explain` asks for each prediction's contributions too. */
export function predictPath(model: string, target: PredictTarget = {}, explain = false): string {
  const name = encodeURIComponent(model);
  const query = explain ? '?explain=true' : '';
  if (target.version !== undefined) return `/v1/models/${name}/versions/${target.version}/predict${query}`;
  if (target.alias) return `/v1/models/${name}/aliases/${encodeURIComponent(target.alias)}/predict${query}`;
  return `/v1/models/${name}/predict${query}`;
}
