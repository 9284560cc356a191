-- An alert rule may also POST its firings and resolutions to a webhook (its URL and the body's
-- template: Cairn's JSON, Slack or Teams), and each such POST is recorded with its outcome. The
-- URL is kept only on the rule: a delivery records it masked (scheme and host), as every reply does.
ALTER TABLE alert_rules ADD COLUMN webhook_url TEXT;
ALTER TABLE alert_rules ADD COLUMN webhook_template TEXT CHECK (webhook_template IS NULL OR webhook_template IN ('json', 'slack', 'teams'));

CREATE TABLE webhook_deliveries (
  id          INTEGER PRIMARY KEY,
  -- Alerts and rules are named, not referenced: the history outlives a deleted rule, as alerts do.
  alert_id    INTEGER NOT NULL,
  rule_id     TEXT NOT NULL,
  model       TEXT NOT NULL COLLATE NOCASE,
  event       TEXT NOT NULL CHECK (event IN ('fired', 'resolved')),
  template    TEXT NOT NULL CHECK (template IN ('json', 'slack', 'teams')),
  target      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  http_status INTEGER,
  error       TEXT,
  duration_ms REAL,
  started_at  TEXT NOT NULL,
  finished_at TEXT
) STRICT;

CREATE INDEX webhook_deliveries_by_rule ON webhook_deliveries (rule_id, id);
CREATE INDEX webhook_deliveries_by_alert ON webhook_deliveries (alert_id);
CREATE INDEX webhook_deliveries_by_model ON webhook_deliveries (model, id);
