-- The runs table lists thousands of runs: it reads each run's scalar test metrics from a small
-- column instead of parsing metrics_json, which holds ROC curves and confusion matrices.
ALTER TABLE runs ADD COLUMN test_scores_json TEXT;

UPDATE runs
SET test_scores_json = (
  SELECT json_group_object(key, value) FROM json_each(runs.metrics_json, '$.test')
  WHERE type IN ('integer', 'real', 'null')
)
WHERE metrics_json IS NOT NULL;
