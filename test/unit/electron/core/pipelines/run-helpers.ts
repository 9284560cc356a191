// Shared by the pipeline tests that run through CairnService: each step's state by node id, one
// step of a run, and waiting for a run started with pipelines.run to end.
import type { EventPayload, PipelineRun } from '../../../../../shared/api.js';
import type { CairnService } from '../../../../../electron/core/service.js';

export const states = (run: PipelineRun) => Object.fromEntries(run.steps.map((s) => [s.nodeId, s.state]));

export const step = (run: PipelineRun, id: string) =>
  run.steps.find((s) => s.nodeId === id) as PipelineRun['steps'][number];

/** Waits for a pipeline run to end, through its events. */
export function waitForRun(service: CairnService, runId: string): Promise<PipelineRun> {
  return new Promise((resolve, reject) => {
    const check = () => {
      service.invoke('pipelines.runGet', { runId }).then((run) => {
        if (!['queued', 'running'].includes(run.status)) {
          off();
          resolve(run);
        }
      }, reject);
    };
    const off = service.events.subscribe((event, payload) => {
      if (event === 'pipeline.run' && (payload as EventPayload<'pipeline.run'>).id === runId) check();
    });
    check();
  });
}
