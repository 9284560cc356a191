// The editor's check of the pipeline it draws: the file's own rules at once (validatePipeline),
// then the engine's (that the datasets named exist) once typing pauses. Both ignore where steps
// sit, so dragging a step checks nothing again.
import { useEffect, useMemo, useState } from 'react';
import { validatePipeline, type PipelineIssue, type PipelineSpec } from '../../../../shared/pipeline.js';
import { useApp } from '../../app-context.js';
import { stableJson } from './editor-state.js';

/** One empty list, so "no issues yet" does not redraw every step on every render. */
const NO_ISSUES: readonly PipelineIssue[] = [];
/** How long typing pauses before the engine is asked. */
const ENGINE_CHECK_DELAY_MS = 300;

export interface PipelineCheck {
  /** The spec with every step at 0,0: what validation (and port typing) depend on. */
  placeless: PipelineSpec;
  issues: readonly PipelineIssue[];
}

/** The problems of `spec`, the local ones at once and the engine's after a pause. */
export function usePipelineCheck(spec: PipelineSpec): PipelineCheck {
  const { client } = useApp();
  const contentKey = useMemo(
    () => stableJson({ ...spec, nodes: spec.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })) }),
    [spec],
  );
  const placeless = useMemo(() => JSON.parse(contentKey) as PipelineSpec, [contentKey]);
  const local = useMemo(() => validatePipeline(placeless), [placeless]);
  const [checked, setChecked] = useState<{ key: string; issues: PipelineIssue[] } | undefined>(undefined);
  useEffect(() => {
    if (!local.ok) return;
    const timer = setTimeout(() => {
      client.call('pipelines.validate', { spec }).then(
        (r) => setChecked({ key: contentKey, issues: r.issues }),
        () => setChecked({ key: contentKey, issues: [] }),
      );
    }, ENGINE_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
    // Keyed on the content: positions do not change what the engine would say.
  }, [client, contentKey, local.ok]);
  const issues = local.ok ? (checked?.key === contentKey ? checked.issues : NO_ISSUES) : local.issues;
  return { placeless, issues };
}
