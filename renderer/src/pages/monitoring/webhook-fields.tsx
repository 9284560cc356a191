// The rule editor's webhook: on or off, its URL and body format, and "Send test", which sends a
// sample alert through the engine's own templates and delivery and shows what came back. A saved
// URL is never shown whole (the engine replies with its mask): the field stays empty and keeps it
// unless the user types a new one.
import { useState } from 'react';
import type { AlertRule, AlertRuleInput, WebhookTemplate, WebhookTestResult } from '../../../../shared/api.js';
import { webhookTemplates } from '../../../../shared/api.js';
import { webhookUrlProblem } from '../../../../shared/webhook-url.js';
import { useApp } from '../../app-context.js';
import { CheckField } from '../../components/check-field.js';
import { ChoiceSelect } from '../../components/choice-select.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { Field } from '../../components/field.js';
import { formatMs } from '../../lib/format.js';
import { useAction } from '../../lib/use-action.js';

export const TEMPLATE_LABELS: Record<WebhookTemplate, string> = {
  json: 'JSON (Cairn)',
  slack: 'Slack',
  teams: 'Microsoft Teams',
};

export interface WebhookDraft {
  on: boolean;
  /** A new URL; empty keeps the saved one. */
  url: string;
  template: WebhookTemplate;
}

export function webhookDraft(rule: AlertRule | undefined): WebhookDraft {
  return { on: rule?.webhook != null, url: '', template: rule?.webhook?.template ?? 'json' };
}

/** Why the draft cannot be saved, or undefined. */
export function webhookDraftProblem(draft: WebhookDraft, rule: AlertRule | undefined): string | undefined {
  if (!draft.on) return undefined;
  if (draft.url.trim() === '') return rule?.webhook ? undefined : webhookUrlProblem('');
  return webhookUrlProblem(draft.url);
}

/** What rules.save gets: a new URL only when one was typed, null to remove, nothing to leave as is. */
export function webhookToSave(draft: WebhookDraft, rule: AlertRule | undefined): AlertRuleInput['webhook'] {
  if (!draft.on) return rule?.webhook ? null : undefined;
  return { ...(draft.url.trim() ? { url: draft.url.trim() } : {}), template: draft.template };
}

/** A delivery's outcome in words: "HTTP 200 in 35 ms" or the error, with the attempts when several. */
export function deliveryOutcome(d: Pick<WebhookTestResult, 'httpStatus' | 'error' | 'attempts' | 'durationMs'>) {
  const what = d.error ?? `HTTP ${d.httpStatus}`;
  const tries = d.attempts > 1 ? `, ${d.attempts} attempts` : '';
  return `${what}${d.durationMs !== null ? ` (${formatMs(d.durationMs)}${tries})` : ''}`;
}

interface WebhookFieldsProps {
  model: string;
  rule?: AlertRule;
  /** The rule as the form has it, for the sample alert; absent while the form's figures are invalid. */
  condition?: Pick<AlertRule, 'metric' | 'comparator' | 'threshold' | 'window'>;
  draft: WebhookDraft;
  onChange: (draft: WebhookDraft) => void;
}

export function WebhookFields({ model, rule, condition, draft, onChange }: WebhookFieldsProps) {
  const { client } = useApp();
  const test = useAction();
  const [result, setResult] = useState<WebhookTestResult | undefined>(undefined);
  const problem = webhookDraftProblem(draft, rule);
  const typed = draft.url.trim() !== '';
  const set = (patch: Partial<WebhookDraft>) => {
    setResult(undefined);
    onChange({ ...draft, ...patch });
  };

  const sendTest = () =>
    test.run(
      () =>
        client.call('monitoring.webhooks.test', {
          model,
          ...(rule ? { ruleId: rule.id } : {}),
          ...(condition ? { condition } : {}),
          webhook: { ...(typed ? { url: draft.url.trim() } : {}), template: draft.template },
        }),
      setResult,
    );

  return (
    <div className="rule-webhook" data-testid="rule-webhook">
      <CheckField checked={draft.on} onChange={(on) => set({ on })} testId="rule-webhook-on">
        Also send it to a webhook (when it fires and when it resolves)
      </CheckField>
      {draft.on && (
        <>
          <div className="rule-webhook-fields">
            <Field label="Webhook URL" className="rule-webhook-url">
              <input
                type="url"
                value={draft.url}
                placeholder={
                  rule?.webhook
                    ? `${rule.webhook.url} (saved: type a new URL to replace it)`
                    : 'https://hooks.slack.com/services/…'
                }
                onChange={(e) => set({ url: e.target.value })}
                aria-invalid={problem !== undefined && typed}
                autoComplete="off"
                spellCheck={false}
                data-testid="rule-webhook-url"
              />
            </Field>
            <Field label="Format">
              <ChoiceSelect
                value={draft.template}
                choices={webhookTemplates}
                label={(t) => TEMPLATE_LABELS[t]}
                onChange={(template) => set({ template })}
                testId="rule-webhook-template"
              />
            </Field>
            <button
              type="button"
              className="btn rule-webhook-test"
              onClick={sendTest}
              disabled={test.busy || problem !== undefined}
              data-testid="rule-webhook-test"
            >
              {test.busy ? 'Sending…' : 'Send test'}
            </button>
          </div>
          <p className="small muted rule-webhook-hint" data-testid="rule-webhook-hint">
            {problem && typed
              ? problem
              : 'A failed delivery is tried 3 times (1 s, then 4 s apart). The URL is a secret: once saved it shows as its host only.'}
          </p>
          {result && (
            <p
              className={`small rule-webhook-outcome ${result.delivered ? 'ok' : 'failed'}`}
              role="status"
              data-testid="rule-webhook-outcome"
              data-delivered={result.delivered}
            >
              <span className={`state-chip ${result.delivered ? 'ok' : 'firing'}`}>
                {result.delivered ? 'delivered' : 'failed'}
              </span>{' '}
              {deliveryOutcome(result)} · {TEMPLATE_LABELS[result.template]} to {result.target}
            </p>
          )}
          {test.error && <ErrorPanel title="Could not send the test" error={test.error} />}
        </>
      )}
    </div>
  );
}
