// The endpoints page's test console: the host posts to the endpoint for the UI, whose content
// security policy keeps it to its own origin, with the endpoint's API key when it has one.
import type { Endpoint, EndpointTestRequest, EndpointTestResult } from '../../../shared/api.js';
import { predictPath } from '../../../shared/endpoint-routes.js';
import { CairnError } from '../errors.js';

/** Posts the instances to a running endpoint; its refusals come back as results with their status. */
export async function testPredict(
  endpoint: Endpoint,
  req: EndpointTestRequest,
  timeoutMs = 10_000,
): Promise<EndpointTestResult> {
  if (!endpoint.url || endpoint.status !== 'running')
    throw new CairnError('conflict', `the endpoint is ${endpoint.status}; send once it is running`);
  const url = `${endpoint.url}${predictPath(req.model, req, req.explain)}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  const t0 = performance.now();
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ instances: req.instances }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    const why =
      err instanceof Error && err.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : err instanceof Error
          ? err.message
          : String(err);
    throw new CairnError('internal', `could not reach ${url}: ${why}`);
  }
  const latencyMs = performance.now() - t0;
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the text as it came.
  }
  return { url, status: res.status, latencyMs, body };
}
