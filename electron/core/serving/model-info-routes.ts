// What the endpoint says about the models it serves: GET /v1/models (every version's state),
// GET /v1/models/{name} (the default version's card, input fields and output) and
// GET /openapi.json (a document for the loaded versions).
import type { FastifyInstance } from 'fastify';
import { cairnVersion } from '../environment.js';
import { errorBody } from './endpoint-replies.js';
import type { ModelRoutes } from './model-routes.js';
import { PICTURE_BODY_TYPES } from './picture-input.js';
import { openApiDocument, instanceSchema, type DescribedModel } from './openapi.js';
import type { ServedVersion } from './served-version.js';

function describe(e: ServedVersion): DescribedModel | undefined {
  if (!e.model) return undefined;
  const t = e.model.preprocess.target;
  return {
    name: e.spec.name,
    version: e.spec.version,
    task: e.model.card.task,
    classes: t?.task === 'classification' ? t.classes : null,
    fields: e.model.validator.fields,
    ignored: e.model.validator.ignored,
    image: e.model.preprocess.image ?? null,
  };
}

/** `secured`: whether the OpenAPI document declares the bearer key. */
export function registerModelInfoRoutes(app: FastifyInstance, routes: ModelRoutes, secured: boolean): void {
  app.get('/v1/models/:name', async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const r = routes.named(name);
    if (!r) return reply.code(404).send(errorBody('not_found', `no model named "${name}" on this endpoint`));
    const versions = [...r.versions.values()].map((e) => ({
      version: e.spec.version,
      aliases: e.spec.aliases,
      isDefault: r.default === e,
      ...(e.error ? { error: e.error } : {}),
    }));
    const d = r.default;
    const described = d ? describe(d) : undefined;
    if (!d || !described || !d.model)
      return reply.send({ name, version: d?.spec.version ?? null, versions, error: d?.error ?? 'no default version' });
    const card = d.model.card;
    return reply.send({
      name: d.spec.name,
      version: d.spec.version,
      aliases: d.spec.aliases,
      versions,
      task: card.task,
      target: card.target,
      classes: described.classes,
      modelKind: card.modelKind,
      createdAt: card.createdAt,
      metrics: card.metrics,
      input: {
        fields: described.fields,
        ignored: described.ignored,
        ...(described.image
          ? { image: { size: described.image.size, channels: described.image.channels, rawBody: PICTURE_BODY_TYPES } }
          : {}),
        schema: instanceSchema(described),
      },
      output:
        card.task === 'classification'
          ? { label: 'one of classes', probabilities: 'class to probability' }
          : { value: `predicted ${card.target}` },
    });
  });

  app.get('/v1/models', async () => ({ models: routes.states() }));

  app.get('/openapi.json', async () =>
    openApiDocument(
      routes.entries.map(describe).filter((d): d is DescribedModel => d !== undefined),
      secured,
      cairnVersion(),
    ),
  );
}
