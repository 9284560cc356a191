// The pipeline file: nodes and edges as written, before validatePipeline checks each node's params
// against its kind.
import { z } from 'zod';

/** The file format's version: a top-level `"cairn": 1`. */
export const PIPELINE_FORMAT = 1;

/** A node id: stable across edits (edges and run history refer to it). */
export const NodeId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'an id is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

/** How deep a node's params may nest: Cairn's own go 3 levels deep (rules, a rule, its value). */
export const MAX_PARAMS_DEPTH = 32;

/**
 * Whether a parsed JSON value nests at most `max` objects or arrays deep, found without recursion:
 * a 100,000-deep value overflows the stack of any recursive walk (structuredClone, JSON.stringify).
 */
export function nestsAtMost(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth > max) return false;
    for (const child of Object.values(item.value)) stack.push({ value: child, depth: item.depth + 1 });
  }
  return true;
}

export const PipelineNode = z.object({
  id: NodeId,
  kind: z.string().min(1),
  /** What the canvas shows; the kind's label when absent. */
  label: z.string().max(200).optional(),
  params: z
    .record(z.string(), z.unknown())
    .refine((params) => nestsAtMost(params, MAX_PARAMS_DEPTH), `params nest more than ${MAX_PARAMS_DEPTH} levels deep`)
    .default({}),
  position: z.object({ x: z.number(), y: z.number() }),
});
export type PipelineNode = z.infer<typeof PipelineNode>;

export const PipelineEdge = z.object({
  id: z.string().min(1).max(200),
  source: z.string().min(1),
  sourcePort: z.string().min(1),
  target: z.string().min(1),
  targetPort: z.string().min(1),
});
export type PipelineEdge = z.infer<typeof PipelineEdge>;

/** The pipeline file. Params stay as written here; validatePipeline checks them against their kind. */
export const PipelineSpec = z.object({
  cairn: z.literal(PIPELINE_FORMAT),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).optional(),
  nodes: z.array(PipelineNode).max(500),
  edges: z.array(PipelineEdge).max(2000),
});
export type PipelineSpec = z.infer<typeof PipelineSpec>;
