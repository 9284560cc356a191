// Webhook URLs: only http(s) with a host and no credentials pass, each refusal says why without
// repeating the URL (it is a secret), and the mask keeps the scheme and host alone.
import { describe, expect, it } from 'vitest';
import { AlertRuleInput } from '../../../shared/api.js';
import { maskWebhookUrl, webhookUrlProblem } from '../../../shared/webhook-url.js';

const SLACK = 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX';

describe('webhookUrlProblem', () => {
  it('accepts http and https URLs', () => {
    expect(webhookUrlProblem(SLACK)).toBeUndefined();
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook')).toBeUndefined();
    expect(webhookUrlProblem('  https://example.com  ')).toBeUndefined();
  });

  it.each([
    ['', /give the webhook's URL/],
    ['hooks.slack.com/services/T0000/B0000/secret', /not a URL/],
    ['ftp://example.com/secret', /starts with http:\/\/ or https:\/\/, not ftp:\/\//],
    ['file:///etc/secret', /not file:\/\//],
    ['javascript:alert(1)', /not javascript:\/\//],
    ['https://user:secret@example.com/hook', /no user name or password/],
    [`https://example.com/${'x'.repeat(2100)}`, /at most 2048 characters/],
  ])('refuses %j, saying why without quoting it', (url, why) => {
    const problem = webhookUrlProblem(url);
    expect(problem).toMatch(why);
    expect(problem).not.toContain('secret');
  });

  it('is what the contract checks a rule with', () => {
    const bad = AlertRuleInput.safeParse({
      model: 'm',
      metric: 'error_rate',
      comparator: '>',
      threshold: 0.1,
      webhook: { url: 'ftp://x/secret' },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/starts with http:\/\/ or https:\/\//);
    // Rules from before webhooks still parse, with no webhook, and the template defaults to json.
    const old = AlertRuleInput.parse({ model: 'm', metric: 'error_rate', comparator: '>', threshold: 0.1 });
    expect(old.webhook).toBeUndefined();
    const hooked = AlertRuleInput.parse({ ...old, webhook: { url: SLACK } });
    expect(hooked.webhook).toEqual({ url: SLACK, template: 'json' });
  });
});

describe('maskWebhookUrl', () => {
  it('keeps the scheme, host and port only', () => {
    expect(maskWebhookUrl(SLACK)).toBe('https://hooks.slack.com/***');
    expect(maskWebhookUrl('http://127.0.0.1:5555/a/b?token=1#x')).toBe('http://127.0.0.1:5555/***');
    expect(maskWebhookUrl('https://u:p@example.com/x')).toBe('https://example.com/***');
    expect(maskWebhookUrl('not a url')).toBe('***');
  });
});
