// Validation issues cross the boundary as one invalid_argument error whose message names the
// first problem and whose details carry them all (each naming its node and field).
import type { PipelineIssue } from '../../../shared/pipeline.js';
import { CairnError } from '../errors.js';

/** Where an issue points, e.g. node "train", field "target". */
export function issueWhere(issue: PipelineIssue): string {
  return [
    issue.nodeId && `node "${issue.nodeId}"`,
    issue.edgeId && `edge "${issue.edgeId}"`,
    issue.field && `field "${issue.field}"`,
    issue.port && `input "${issue.port}"`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** The issues as one error: `what` is not valid: <where>: <message> (and N more). */
export function invalidPipeline(issues: PipelineIssue[], what = 'the pipeline'): CairnError {
  const first = issues[0];
  const where = first ? issueWhere(first) : '';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new CairnError(
    'invalid_argument',
    `${what} is not valid: ${where ? `${where}: ` : ''}${first?.message ?? ''}${more}`,
    { issues },
  );
}
