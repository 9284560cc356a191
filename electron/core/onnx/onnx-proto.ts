// The ONNX model file: the messages of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto) that an
// exporter writes, as a protobufjs JSON descriptor with the upstream field numbers, encoded by
// protobufjs. Only writing is needed, so only the fields Cairn sets are declared: a reader skips
// nothing it needs, since protobuf fields are identified by number, not by the schema's extent.
import protobuf from 'protobufjs';

/** TensorProto.DataType values Cairn writes. */
export const DataType = { FLOAT: 1, INT64: 7, STRING: 8, BOOL: 9, DOUBLE: 11 } as const;
export type DataType = (typeof DataType)[keyof typeof DataType];

/** AttributeProto.AttributeType values. */
const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** A tensor: numbers go to raw_data (little-endian), strings to string_data. */
export interface TensorSpec {
  name: string;
  dataType: DataType;
  dims: number[];
  data: Float32Array | Float64Array | BigInt64Array | Uint8Array | string[];
}

/** An attribute value; the tag says its ONNX type. */
export type AttrValue =
  | { float: number }
  | { int: number }
  | { string: string }
  | { floats: readonly number[] }
  | { ints: readonly number[] }
  | { strings: readonly string[] }
  | { tensor: TensorSpec };

export interface NodeSpec {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttrValue>;
}

/** A graph input or output: a tensor of `dataType` and `shape` (a string is a symbolic dimension). */
export interface ValueSpec {
  name: string;
  dataType: DataType;
  shape: (number | string)[];
  doc?: string;
}

export interface ModelSpec {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  doc: string;
  metadata: Record<string, string>;
  graph: {
    name: string;
    nodes: NodeSpec[];
    initializers: TensorSpec[];
    inputs: ValueSpec[];
    outputs: ValueSpec[];
  };
}

const f = (id: number, type: string, rule?: 'repeated') => (rule ? { id, type, rule } : { id, type });

const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: f(1, 'int64'),
            producerName: f(2, 'string'),
            producerVersion: f(3, 'string'),
            domain: f(4, 'string'),
            modelVersion: f(5, 'int64'),
            docString: f(6, 'string'),
            graph: f(7, 'GraphProto'),
            opsetImport: f(8, 'OperatorSetIdProto', 'repeated'),
            metadataProps: f(14, 'StringStringEntryProto', 'repeated'),
          },
        },
        OperatorSetIdProto: { fields: { domain: f(1, 'string'), version: f(2, 'int64') } },
        StringStringEntryProto: { fields: { key: f(1, 'string'), value: f(2, 'string') } },
        GraphProto: {
          fields: {
            node: f(1, 'NodeProto', 'repeated'),
            name: f(2, 'string'),
            initializer: f(5, 'TensorProto', 'repeated'),
            docString: f(10, 'string'),
            input: f(11, 'ValueInfoProto', 'repeated'),
            output: f(12, 'ValueInfoProto', 'repeated'),
          },
        },
        NodeProto: {
          fields: {
            input: f(1, 'string', 'repeated'),
            output: f(2, 'string', 'repeated'),
            name: f(3, 'string'),
            opType: f(4, 'string'),
            attribute: f(5, 'AttributeProto', 'repeated'),
            docString: f(6, 'string'),
            domain: f(7, 'string'),
          },
        },
        AttributeProto: {
          fields: {
            name: f(1, 'string'),
            f: f(2, 'float'),
            i: f(3, 'int64'),
            s: f(4, 'bytes'),
            t: f(5, 'TensorProto'),
            floats: f(7, 'float', 'repeated'),
            ints: f(8, 'int64', 'repeated'),
            strings: f(9, 'bytes', 'repeated'),
            type: f(20, 'int32'),
          },
        },
        ValueInfoProto: { fields: { name: f(1, 'string'), type: f(2, 'TypeProto'), docString: f(3, 'string') } },
        TypeProto: {
          fields: { tensorType: f(1, 'TypeProto.Tensor') },
          nested: { Tensor: { fields: { elemType: f(1, 'int32'), shape: f(2, 'TensorShapeProto') } } },
        },
        TensorShapeProto: {
          fields: { dim: f(1, 'TensorShapeProto.Dimension', 'repeated') },
          nested: { Dimension: { fields: { dimValue: f(1, 'int64'), dimParam: f(2, 'string') } } },
        },
        TensorProto: {
          fields: {
            dims: f(1, 'int64', 'repeated'),
            dataType: f(2, 'int32'),
            stringData: f(6, 'bytes', 'repeated'),
            name: f(8, 'string'),
            rawData: f(9, 'bytes'),
          },
        },
      },
    },
  },
});
const ModelProto = root.lookupType('onnx.ModelProto');

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Little-endian bytes of a typed array, whatever the host's byte order (ONNX's raw_data is little-endian). */
function rawBytes(data: Float32Array | Float64Array | BigInt64Array | Uint8Array): Uint8Array {
  if (data instanceof Uint8Array) return data;
  const out = new DataView(new ArrayBuffer(data.length * data.BYTES_PER_ELEMENT));
  data.forEach((v: number | bigint, i: number) => {
    if (data instanceof Float32Array) out.setFloat32(i * 4, v as number, true);
    else if (data instanceof Float64Array) out.setFloat64(i * 8, v as number, true);
    else out.setBigInt64(i * 8, v as bigint, true);
  });
  return new Uint8Array(out.buffer);
}

function tensorMessage(t: TensorSpec) {
  return {
    name: t.name,
    dataType: t.dataType,
    dims: t.dims,
    ...(Array.isArray(t.data) ? { stringData: t.data.map(utf8) } : { rawData: rawBytes(t.data) }),
  };
}

function attributeMessage(name: string, v: AttrValue) {
  if ('float' in v) return { name, type: AttributeType.FLOAT, f: v.float };
  if ('int' in v) return { name, type: AttributeType.INT, i: v.int };
  if ('string' in v) return { name, type: AttributeType.STRING, s: utf8(v.string) };
  if ('floats' in v) return { name, type: AttributeType.FLOATS, floats: v.floats };
  if ('ints' in v) return { name, type: AttributeType.INTS, ints: v.ints };
  if ('strings' in v) return { name, type: AttributeType.STRINGS, strings: v.strings.map(utf8) };
  return { name, type: AttributeType.TENSOR, t: tensorMessage(v.tensor) };
}

function valueMessage(v: ValueSpec) {
  return {
    name: v.name,
    ...(v.doc ? { docString: v.doc } : {}),
    type: {
      tensorType: {
        elemType: v.dataType,
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** The model as the bytes of an .onnx file. */
export function encodeModel(model: ModelSpec): Uint8Array {
  const message = ModelProto.fromObject({
    irVersion: model.irVersion,
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    docString: model.doc,
    opsetImport: model.opsets,
    metadataProps: Object.entries(model.metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: model.graph.name,
      node: model.graph.nodes.map((n) => ({
        name: n.name,
        opType: n.opType,
        domain: n.domain,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attributes).map(([name, v]) => attributeMessage(name, v)),
      })),
      initializer: model.graph.initializers.map(tensorMessage),
      input: model.graph.inputs.map(valueMessage),
      output: model.graph.outputs.map(valueMessage),
    },
  });
  return ModelProto.encode(message).finish();
}
