// The body a webhook receives, one definition per template, all drawn from the same
// AlertEventPayload: `json` is the payload itself; `slack` is a Slack incoming webhook's
// `{text, blocks}` (text is the notification's fallback, blocks what the channel shows); `teams` is
// a Microsoft Teams incoming webhook's message with one Adaptive Card, the format both the classic
// connector and a Workflows "when a webhook request is received" flow accept. None carries a link.
import type { AlertEventPayload, WebhookTemplate } from '../../../../shared/api.js';
import { METRIC_LABELS, shown } from '../rule-eval.js';

/** Slack's limit on a header block's text. */
const SLACK_HEADER_MAX = 150;

/** The facts every chat template lists under the message. */
function facts(p: AlertEventPayload): [string, string][] {
  return [
    ['Model', p.model],
    ['Metric', `${METRIC_LABELS[p.metric]} over ${p.window}`],
    ['Value', shown(p.metric, p.value)],
    ['Threshold', `${p.comparator} ${shown(p.metric, p.threshold)}`],
    ...(p.features.length ? [['Features', p.features.join(', ')] as [string, string]] : []),
    ['Fired', p.firedAt],
    ...(p.resolvedAt ? [['Resolved', p.resolvedAt] as [string, string]] : []),
  ];
}

function title(p: AlertEventPayload): string {
  const what = p.event === 'fired' ? 'Alert firing' : 'Alert resolved';
  return `${p.test ? 'Test: ' : ''}${what}: ${p.model}`;
}

/** Slack's mrkdwn reads &, < and > as markup: a model or feature name must not make a link. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function slackBody(p: AlertEventPayload) {
  const head = title(p);
  return {
    text: slackEscape(p.summary),
    blocks: [
      {
        type: 'header',
        text: {
          type: 'plain_text',
          text: head.length > SLACK_HEADER_MAX ? `${head.slice(0, SLACK_HEADER_MAX - 1)}…` : head,
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: slackEscape(p.message) } },
      {
        type: 'section',
        fields: facts(p).map(([name, value]) => ({ type: 'mrkdwn', text: `*${name}*\n${slackEscape(value)}` })),
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Cairn · rule ${p.rule} · alert ${p.alert}` }] },
    ],
  };
}

function teamsBody(p: AlertEventPayload) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: title(p),
              weight: 'Bolder',
              size: 'Medium',
              color: p.event === 'fired' ? 'Attention' : 'Good',
              wrap: true,
            },
            { type: 'TextBlock', text: p.message, wrap: true },
            { type: 'FactSet', facts: facts(p).map(([name, value]) => ({ title: name, value })) },
            {
              type: 'TextBlock',
              text: `Cairn · rule ${p.rule} · alert ${p.alert}`,
              isSubtle: true,
              size: 'Small',
              wrap: true,
            },
          ],
        },
      },
    ],
  };
}

/** The JSON body `template` sends for `payload`. */
export function webhookBody(template: WebhookTemplate, payload: AlertEventPayload): unknown {
  switch (template) {
    case 'json':
      return payload;
    case 'slack':
      return slackBody(payload);
    case 'teams':
      return teamsBody(payload);
  }
}
