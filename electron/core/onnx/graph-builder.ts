// A graph under construction: nodes in the order they are added (a topological order, since a
// node can only take values that already exist), constants as initializers, unique value names.
import type { AttrValue, DataType, NodeSpec, TensorSpec, ValueSpec } from './onnx-proto.js';
import { DataType as DT } from './onnx-proto.js';

/** The operator set domain of the classic ML operators (LabelEncoder, TreeEnsemble*). */
export const ML_DOMAIN = 'ai.onnx.ml';

export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: TensorSpec[] = [];
  readonly inputs: ValueSpec[] = [];
  readonly outputs: ValueSpec[] = [];
  private readonly taken = new Set<string>();

  /** A value name not used yet, from `hint` (made safe for tools that print names). */
  fresh(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_.=-]+/g, '_').slice(0, 64) || 'v';
    let name = base;
    for (let i = 1; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  /** Declares a graph input; its exact name is required (it is what a user feeds). */
  input(value: ValueSpec): string {
    if (this.taken.has(value.name)) throw new Error(`Two ONNX graph values are named ${JSON.stringify(value.name)}`);
    this.taken.add(value.name);
    this.inputs.push(value);
    return value.name;
  }

  /** Makes `value` a graph output under its exact name (through an Identity node). */
  output(from: string, value: ValueSpec): void {
    if (this.taken.has(value.name)) throw new Error(`Two ONNX graph values are named ${JSON.stringify(value.name)}`);
    this.taken.add(value.name);
    this.nodes.push({
      opType: 'Identity',
      domain: '',
      name: this.fresh(`out_${value.name}`),
      inputs: [from],
      outputs: [value.name],
      attributes: {},
    });
    this.outputs.push(value);
  }

  /** A constant tensor. */
  constant(hint: string, dataType: DataType, dims: number[], data: TensorSpec['data']): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dataType, dims, data });
    return name;
  }

  floats(hint: string, values: readonly number[] | Float32Array, dims: number[] = [values.length]): string {
    return this.constant(hint, DT.FLOAT, dims, Float32Array.from(values));
  }

  doubles(hint: string, values: readonly number[], dims: number[] = [values.length]): string {
    return this.constant(hint, DT.DOUBLE, dims, Float64Array.from(values));
  }

  int64s(hint: string, values: readonly number[], dims: number[] = [values.length]): string {
    return this.constant(
      hint,
      DT.INT64,
      dims,
      BigInt64Array.from(values, (v) => BigInt(v)),
    );
  }

  strings(hint: string, values: readonly string[], dims: number[] = [values.length]): string {
    return this.constant(hint, DT.STRING, dims, [...values]);
  }

  /** Adds one node with a single output and returns that output's name. */
  op(opType: string, inputs: string[], attributes: Record<string, AttrValue> = {}, domain = ''): string {
    return this.opOutputs(opType, inputs, attributes, domain, 1)[0] as string;
  }

  /** Adds one node with `count` outputs and returns their names. */
  opOutputs(
    opType: string,
    inputs: string[],
    attributes: Record<string, AttrValue>,
    domain: string,
    count: number,
  ): string[] {
    const outputs = Array.from({ length: count }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push({ opType, domain, name: this.fresh(`${opType}_node`), inputs, outputs, attributes });
    return outputs;
  }
}
