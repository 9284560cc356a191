// GET /openapi.json: the endpoint's API as OpenAPI 3.1, with one instance schema per served
// model version, built from the same compiled input check that guards the routes; a picture
// model's instance is {"image": {"b64"}}, and the predict routes then also take raw pictures.
import { PICTURE_BODY_TYPES } from './picture-input.js';
import type { InputField } from './validator.js';

export interface DescribedModel {
  name: string;
  version: number;
  task: 'classification' | 'regression';
  classes: string[] | null;
  fields: InputField[];
  ignored: string[];
  /** A picture model's input (it takes pictures instead of fields); null for a table model. */
  image: { size: number; channels: number } | null;
}

function fieldSchema(f: InputField): Record<string, unknown> {
  const nullable = (s: Record<string, unknown>) => ({ ...s, type: [s.type, 'null'] });
  switch (f.type) {
    case 'number':
      return nullable({ type: 'number' });
    case 'integer':
      // JSON Schema's integer is any number without a fraction: 12 and 12.0 alike, as the validator.
      return nullable({ type: 'integer' });
    case 'datetime':
      return {
        type: ['string', 'number', 'null'],
        description: 'ISO 8601 date-time (UTC when no zone) or epoch milliseconds',
      };
    case 'boolean':
      return nullable({ type: 'boolean' });
    case 'category':
      return { enum: [...(f.categories ?? []), null] };
  }
}

/** The JSON Schema of one instance of a model version. */
export function instanceSchema(m: DescribedModel): Record<string, unknown> {
  if (m.image)
    return {
      type: 'object',
      required: ['image'],
      additionalProperties: false,
      description: `A picture (PNG, JPEG, WebP, GIF, BMP or TIFF; its format is read from its content), scaled to ${m.image.size} × ${m.image.size} px ${m.image.channels === 1 ? 'grey' : 'colour'} as in training`,
      properties: {
        image: {
          type: 'object',
          required: ['b64'],
          additionalProperties: false,
          properties: {
            b64: { type: 'string', contentEncoding: 'base64', description: "The picture file's bytes in base64" },
          },
        },
      },
    };
  return {
    type: 'object',
    required: m.fields.map((f) => f.name),
    additionalProperties: false,
    properties: {
      ...Object.fromEntries(m.fields.map((f) => [f.name, fieldSchema(f)])),
      ...Object.fromEntries(
        m.ignored.map((c) => [c, { description: 'accepted and ignored: the model does not use it' }]),
      ),
    },
  };
}

/** A predict call's answer: the document's PredictResponse, which the endpoint writes as text (endpoint.ts). */
export const PREDICT_RESPONSE_SCHEMA = {
  type: 'object',
  required: ['model', 'predictions'],
  properties: {
    model: { type: 'object', properties: { name: { type: 'string' }, version: { type: 'integer' } } },
    predictions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'string', description: 'Unique and time-sortable; name it when sending feedback' },
          label: { type: 'string' },
          probabilities: {
            type: 'object',
            additionalProperties: { type: ['number', 'null'] },
            description: 'Class to probability; null where the model answered a number that is not finite',
          },
          value: { type: ['number', 'null'], description: 'null where the model answered a number that is not finite' },
          base: {
            type: ['number', 'null'],
            description:
              'With ?explain=true: the explained output averaged over the training data, where the contributions start',
          },
          contributions: {
            type: 'object',
            additionalProperties: { type: ['number', 'null'] },
            description:
              'With ?explain=true: input column to its contribution (SHAP value); base plus their sum is the explained output',
          },
          explained: {
            type: 'object',
            description: 'With ?explain=true: what base and contributions add up to',
            properties: {
              method: {
                enum: ['tree_shap', 'linear', 'kernel_shap'],
                description:
                  'Exact TreeSHAP (trees), exact for a linear or logistic model, or sampled KernelSHAP (networks)',
              },
              output: {
                enum: ['log_odds', 'probability', 'value'],
                description:
                  "The predicted class's log-odds (trees, logistic), its probability (networks), or the predicted value",
              },
              class: { type: ['string', 'null'], description: 'The class explained: the predicted label' },
              errorBound: {
                type: ['number', 'null'],
                description:
                  "KernelSHAP's largest 95% error of a contribution (0 when every coalition was enumerated); null where exact",
              },
            },
          },
        },
      },
    },
  },
} as const;

const FEEDBACK_ITEM = {
  type: 'object',
  required: ['id', 'label'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', description: 'A prediction id a predict call returned' },
    label: {
      type: ['string', 'number', 'boolean'],
      description: 'The true class (classification) or value (regression)',
    },
  },
} as const;

/** The feedback route's request: one label, or a batch. */
const FEEDBACK_BODY = {
  oneOf: [
    FEEDBACK_ITEM,
    {
      type: 'object',
      required: ['feedback'],
      additionalProperties: false,
      properties: { feedback: { type: 'array', minItems: 1, maxItems: 10_000, items: FEEDBACK_ITEM } },
    },
  ],
} as const;

const FEEDBACK_RESPONSE = {
  type: 'object',
  required: ['accepted'],
  properties: {
    accepted: {
      type: 'integer',
      description: 'Labels stored (a later label for a prediction replaces the earlier one)',
    },
    unknown: {
      type: 'array',
      items: { type: 'string' },
      description: 'Batch: ids with no prediction of this model in the log',
    },
    invalid: {
      type: 'array',
      description: 'Batch: items refused, by their index in "feedback"',
      items: {
        type: 'object',
        properties: { row: { type: 'integer' }, id: { type: ['string', 'null'] }, message: { type: 'string' } },
      },
    },
  },
} as const;

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        errors: {
          type: 'array',
          items: {
            type: 'object',
            properties: { instance: { type: 'integer' }, field: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
};

/** The whole document for the models an endpoint serves now. */
export function openApiDocument(models: DescribedModel[], secured: boolean, version: string): Record<string, unknown> {
  const pictures = models.some((m) => m.image);
  // One picture as the whole body, for a picture model only: its bytes, sent as they are.
  const rawPicture = {
    schema: { type: 'string', format: 'binary' },
    description: 'For a picture model: one picture as the body (one prediction); its format is read from its content',
  };
  const predictBody = {
    required: true,
    content: {
      ...(pictures ? Object.fromEntries(PICTURE_BODY_TYPES.map((t) => [t, rawPicture])) : {}),
      'application/json': {
        schema: {
          type: 'object',
          required: ['instances'],
          properties: {
            instances: {
              type: 'array',
              minItems: 1,
              items: models.length
                ? { oneOf: models.map((m) => ({ $ref: `#/components/schemas/${schemaName(m)}` })) }
                : { type: 'object' },
            },
          },
        },
      },
    },
  };
  const error = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });
  const predictResponses = {
    200: {
      description: 'One prediction per instance, in order',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/PredictResponse' } } },
    },
    400: error(
      `The body is not valid JSON, or an instance failed the model's input schema (one error per field)${pictures ? ', or a picture is not one that can be read, or a picture was sent to a model of table rows' : ''}; or, with ?explain=true, too many instances to explain, a network saved without the training sample explanations need${pictures ? ', or a picture model' : ''} (cannot_explain)`,
    ),
    401: error('Missing or wrong API key'),
    404: error('No such model, version or alias on this endpoint'),
    413: error(
      pictures ? 'Body over the size limit, or a picture with more pixels than allowed' : 'Body over the size limit',
    ),
    415: error(
      pictures
        ? 'The body is neither JSON (Content-Type: application/json) nor a picture (image/png, image/jpeg, image/webp)'
        : 'The body is not sent as JSON (Content-Type: application/json)',
    ),
    503: error('Overloaded (see Retry-After) or the model could not be loaded'),
    504: error('The request waited past its deadline'),
  };
  const name = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
  const explain = {
    name: 'explain',
    in: 'query',
    required: false,
    schema: { type: 'boolean', default: false },
    description:
      "Also answer each prediction's contributions per input column and their base; explained requests take fewer instances (a network's fewest)",
  };
  const predict = (summary: string, parameters: unknown[]) => ({
    post: { summary, parameters: [...parameters, explain], requestBody: predictBody, responses: predictResponses },
  });
  return {
    openapi: '3.1.0',
    info: { title: 'Cairn prediction endpoint', version },
    ...(secured ? { security: [{ bearer: [] }] } : {}),
    paths: {
      '/v1/models/{name}/predict': predict('Predict with the production version (else the latest)', [name]),
      '/v1/models/{name}/versions/{version}/predict': predict('Predict with one version', [
        name,
        { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
      ]),
      '/v1/models/{name}/aliases/{alias}/predict': predict('Predict with the version an alias points at', [
        name,
        { name: 'alias', in: 'path', required: true, schema: { type: 'string' } },
      ]),
      '/v1/models/{name}/feedback': {
        post: {
          summary:
            'Send the true label of earlier predictions, by their ids: one {"id", "label"} or {"feedback": [...]}',
          parameters: [name],
          requestBody: { required: true, content: { 'application/json': { schema: FEEDBACK_BODY } } },
          responses: {
            200: {
              description: 'Stored; a batch lists unknown ids and refused items',
              content: { 'application/json': { schema: FEEDBACK_RESPONSE } },
            },
            400: error(
              'A malformed body, or a label of the wrong kind (not one of the classes; not a number for a regressor)',
            ),
            401: error('Missing or wrong API key'),
            404: error('No such model on this endpoint, or (one label) no such prediction of it in the log'),
          },
        },
      },
      '/v1/models/{name}': {
        get: {
          summary: 'Metadata and input schema',
          parameters: [name],
          responses: { 200: { description: 'The model' }, 404: error('No such model') },
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness: {"status"}; with the API key (or none set) also the served models and their load errors',
          security: [],
          responses: { 200: { description: 'Serving' }, 503: { description: 'Draining' } },
        },
      },
      '/metrics': {
        get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text/plain; version=0.0.4' } } },
      },
    },
    components: {
      ...(secured ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } : {}),
      schemas: {
        PredictResponse: PREDICT_RESPONSE_SCHEMA,
        ...Object.fromEntries(models.map((m) => [schemaName(m), instanceSchema(m)])),
      },
    },
  };
}

function schemaName(m: DescribedModel): string {
  return `${m.name.replace(/[^A-Za-z0-9._-]/g, '_')}.v${m.version}.Instance`;
}
