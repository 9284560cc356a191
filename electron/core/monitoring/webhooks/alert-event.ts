// An alert's firing or resolution as Cairn tells the world: the `json` webhook's body, the payload
// the Slack and Teams templates are drawn from, and each line `cairn monitor --watch --json` prints.
import type { Alert, AlertEventKind, AlertEventPayload } from '../../../../shared/api.js';

/** The payload for `alert` having fired or resolved (`test` marks "Send test"'s sample). */
export function alertEventPayload(event: AlertEventKind, alert: Alert, test = false): AlertEventPayload {
  const summary =
    event === 'fired'
      ? `Firing: ${alert.message}`
      : `Resolved: ${alert.message} (fired ${alert.firedAt}, resolved ${alert.resolvedAt ?? 'now'})`;
  return {
    event,
    alert: alert.id,
    rule: alert.ruleId,
    model: alert.model,
    metric: alert.metric,
    comparator: alert.comparator,
    threshold: alert.threshold,
    window: alert.window,
    value: alert.value,
    message: alert.message,
    features: alert.features,
    action: alert.action,
    firedAt: alert.firedAt,
    resolvedAt: alert.resolvedAt,
    summary: test ? `Test from Cairn: ${summary}` : summary,
    test,
  };
}
