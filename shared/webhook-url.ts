// A webhook's URL is a secret: Slack's and Teams' incoming-webhook URLs carry the token in their
// path, so whoever reads the URL may post to the channel. The engine keeps it whole only to send;
// everywhere else (the contract's replies, the UI, deliveries, errors) it is masked to its scheme
// and host. Validation lives here too so the rule form and the engine refuse the same URLs with
// the same words, none of which repeat the URL.

/** The longest URL accepted: Slack's and Teams' are under 300 characters. */
export const WEBHOOK_URL_MAX = 2048;

/** Why `url` cannot be a webhook's address (without quoting it), or undefined when it can. */
export function webhookUrlProblem(url: string): string | undefined {
  const text = url.trim();
  if (text === '') return "give the webhook's URL, e.g. https://hooks.slack.com/services/…";
  if (text.length > WEBHOOK_URL_MAX) return `a webhook URL is at most ${WEBHOOK_URL_MAX} characters`;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return 'not a URL: a webhook URL looks like https://hooks.slack.com/services/…';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `a webhook URL starts with http:// or https://, not ${parsed.protocol}//`;
  if (parsed.hostname === '') return 'a webhook URL names a host';
  if (parsed.username !== '' || parsed.password !== '')
    return 'a webhook URL carries no user name or password (put the token where the service says)';
  return undefined;
}

/** `https://hooks.slack.com/***`: the scheme and host (and port) only, for display and records. */
export function maskWebhookUrl(url: string): string {
  try {
    const u = new URL(url.trim());
    return `${u.protocol}//${u.host}/***`;
  } catch {
    return '***';
  }
}
