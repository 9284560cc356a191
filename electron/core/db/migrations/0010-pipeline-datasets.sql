-- Tables a pipeline's train step saves as datasets (so its run can point at the rows it learned
-- from) are the pipeline's intermediates, not the user's data: datasets.pipeline_id marks them
-- (no foreign key: deleting the pipeline must not turn its tables into the user's), and
-- dataset_versions.source_version_id names the dataset version such a table was made from, which
-- a model's lineage shows instead. The user's datasets keep NULL in both.
ALTER TABLE datasets ADD COLUMN pipeline_id TEXT;
ALTER TABLE dataset_versions ADD COLUMN source_version_id TEXT REFERENCES dataset_versions(id);

-- Tables saved before this migration are found through the pipeline runs whose train step made a
-- training run on them, and only under the name the train step gives them (<pipeline>.<node>):
-- a dataset the user named is never hidden.
UPDATE datasets SET pipeline_id = (
  SELECT pr.pipeline_id
  FROM pipeline_steps s
  JOIN pipeline_runs pr ON pr.id = s.run_id
  JOIN pipelines p ON p.id = pr.pipeline_id
  JOIN runs r ON r.id = s.training_run_id
  JOIN dataset_versions v ON v.id = r.dataset_version_id
  WHERE s.kind = 'train' AND v.dataset_id = datasets.id AND datasets.name = p.name || '.' || s.node_id COLLATE NOCASE
  LIMIT 1
);

-- Their source: the dataset step's version in the same pipeline run, when the run had exactly one
-- (every table of such a run comes from it) and that version still exists.
UPDATE dataset_versions SET source_version_id = (
  SELECT json_extract(src.output_json, '$.dataset.versionId')
  FROM pipeline_steps s
  JOIN runs r ON r.id = s.training_run_id
  JOIN pipeline_steps src ON src.run_id = s.run_id AND src.kind = 'dataset'
  WHERE s.kind = 'train' AND r.dataset_version_id = dataset_versions.id
    AND (SELECT count(*) FROM pipeline_steps o WHERE o.run_id = s.run_id AND o.kind = 'dataset') = 1
    AND json_extract(src.output_json, '$.dataset.versionId') IN (SELECT id FROM dataset_versions)
  LIMIT 1
)
WHERE dataset_id IN (SELECT id FROM datasets WHERE pipeline_id IS NOT NULL);
