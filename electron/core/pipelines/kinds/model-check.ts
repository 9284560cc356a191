// Cached results that name a model version hold only while that version is still the one they
// name: deleted versions (and a number reused after a delete) make the step run again.
import type { StepResult } from '../step-cache.js';
import type { PipelineHost } from '../host.js';

/** Whether every model version a result hands on still exists with the same files. */
export function modelsStillThere(host: PipelineHost, result: StepResult): boolean {
  return Object.values(result.ports).every(
    (v) => v.type !== 'model' || host.modelFiles(v.name, v.version)?.sha256 === v.sha256,
  );
}
