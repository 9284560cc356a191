// The prediction routes of an endpoint, shared by the host's test console and the UI's curl snippet.

/** Which version of a model a request means: its default (production, else latest), a version, or an alias. */
export interface PredictTarget {
  version?: number;
  alias?: string;
}

/** The path of a prediction route. */
export function predictPath(model: string, target: PredictTarget = {}): string {
  const name = encodeURIComponent(model);
  if (target.version !== undefined) return `/v1/models/${name}/versions/${target.version}/predict`;
  if (target.alias) return `/v1/models/${name}/aliases/${encodeURIComponent(target.alias)}/predict`;
  return `/v1/models/${name}/predict`;
}
