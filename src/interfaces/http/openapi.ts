/**
 * The OpenAPI 3.1 document at /openapi.json, generated from the route table and the same zod schemas that
 * validate the input (src/app/operations.ts) and describe the answers (responses.ts). JSON Schema 2020-12,
 * which is what OpenAPI 3.1 speaks and what `z.toJSONSchema` writes.
 */
import { z } from 'zod';
import { operationSchemas, operations } from '../../app/operations.ts';
import { type ApiRoute, apiRoutes } from './api-routes.ts';
import { problemContentType, problemSchema } from './problem.ts';
import {
  commandResponse,
  gateResponse,
  healthResponse,
  historyResponse,
  listResponse,
  meResponse,
  statusResponse,
  sweepResponse,
} from './responses.ts';

type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Named answers, in components.schemas. */
const components: [string, z.ZodType][] = [
  ['Problem', problemSchema],
  ['HandoffStatus', statusResponse],
  ['CommandResult', commandResponse],
  ['HandoffList', listResponse],
  ['HandoffHistory', historyResponse],
  ['SweepDigest', sweepResponse],
  ['GateReport', gateResponse],
  ['Me', meResponse],
  ['Health', healthResponse],
];
const componentName = new Map<z.ZodType, string>(components.map(([name, schema]) => [schema, name]));
const ref = (schema: z.ZodType) => {
  const name = componentName.get(schema);
  if (!name) throw new Error('every response schema is a named component');
  return { $ref: `#/components/schemas/${name}` };
};

const problem = (description: string) => ({
  description,
  content: { [problemContentType]: { schema: { $ref: '#/components/schemas/Problem' } } },
});
const unauthenticated = problem('Not signed in: no token, or not a valid one (WWW-Authenticate says which).');
const problems = {
  '401': unauthenticated,
  '422': problem('Bad input: `field` names the field, parameter or header at fault.'),
};
const commandProblems = {
  '400': problem('Malformed JSON.'),
  ...problems,
  '403': problem('Refused by a rule: `rule` names it, `allowed` lists what you may do instead.'),
  '404': problem('No such handoff (or escalation).'),
  '409': problem('The handoff changed since the version you sent (If-Match or expectedVersion).'),
  '413': problem('Body too large.'),
  '415': problem('The body is not application/json.'),
};
const etagHeader = {
  ETag: {
    description: 'the handoff\'s version as a strong tag, `"<version>"`: send it back as If-Match',
    schema: { type: 'string' },
  },
};

/** `/api/handoffs/:sow` → `/api/handoffs/{sow}`. */
export const openApiPath = (url: string): string => url.replace(/:([A-Za-z]+)/g, '{$1}');

function operationFor(route: ApiRoute): Record<string, unknown> {
  const operation = operations[route.operation];
  const input = jsonSchema(operationSchemas[route.operation], 'input');
  const properties = { ...(input.properties ?? {}) };
  const pathFields = new Set(Object.values(route.params ?? {}));
  const parameters: Record<string, unknown>[] = Object.entries(route.params ?? {}).map(([param, field]) => ({
    name: param,
    in: 'path',
    required: true,
    schema: properties[field] ?? { type: 'string' },
    ...(properties[field]?.description ? { description: properties[field]?.description } : {}),
  }));
  for (const field of pathFields) delete properties[field];
  const takesVersion = 'expectedVersion' in properties;
  if (takesVersion)
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      description:
        'the version you saw, `"<version>"` (the ETag of GET /api/handoffs/{sow}); a different current version is a 409',
      schema: { type: 'string', pattern: '^"\\d+"$' },
    });
  if (route.input === 'query')
    for (const [name, schema] of Object.entries(properties))
      parameters.push({ name, in: 'query', required: false, schema });
  const required = (input.required ?? []).filter((f) => !pathFields.has(f));
  const body =
    route.input === 'body'
      ? {
          requestBody: {
            required: required.length > 0,
            content: {
              'application/json': {
                schema: { ...input, properties, ...(required.length > 0 ? { required } : { required: [] }) },
              },
            },
          },
        }
      : {};
  const success = String(route.status ?? 200);
  const versioned = route.response === commandResponse || route.response === statusResponse;
  const id = `${route.operation}${route.method === 'GET' && route.operation === 'gate' ? 'Handoff' : ''}`;
  return {
    operationId: id,
    summary: operation.summary,
    tags: [route.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...body,
    responses: {
      [success]: {
        description: operation.kind === 'command' ? 'recorded (or nothing to record)' : 'the answer',
        ...(versioned ? { headers: etagHeader } : {}),
        content: { 'application/json': { schema: ref(route.response) } },
      },
      ...(operation.kind === 'command' || route.method === 'POST' ? commandProblems : problems),
      ...(route.params ? { '404': problem('No such handoff (or escalation).') } : {}),
    },
  };
}

export interface OpenApiOptions {
  version: string;
}

/** The whole document; build it once per server. */
export function openApiDocument(options: OpenApiOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const add = (method: string, url: string, operation: Record<string, unknown>) => {
    const path = openApiPath(url);
    paths[path] = { ...paths[path], [method.toLowerCase()]: operation };
  };
  for (const route of apiRoutes) add(route.method, route.url, operationFor(route));
  add('GET', '/api/me', {
    operationId: 'me',
    summary: 'Who the token signs in as: name, role, and the interface.',
    tags: ['users'],
    responses: {
      '200': {
        description: 'the signed-in user',
        content: { 'application/json': { schema: ref(meResponse) } },
      },
      '401': unauthenticated,
    },
  });
  add('GET', '/api/health', {
    operationId: 'health',
    summary: 'The server is up.',
    tags: ['server'],
    security: [],
    responses: {
      '200': { description: 'up', content: { 'application/json': { schema: ref(healthResponse) } } },
    },
  });
  add('GET', '/api/problems/:kind', {
    operationId: 'problemType',
    summary: 'What a problem type (the `type` of an error answer) means.',
    tags: ['server'],
    security: [],
    parameters: [{ name: 'kind', in: 'path', required: true, schema: { type: 'string' } }],
    responses: {
      '200': { description: 'a description', content: { 'text/plain': { schema: { type: 'string' } } } },
      '404': problem('No such problem type.'),
    },
  });
  add('GET', '/openapi.json', {
    operationId: 'openapi',
    summary: 'This document.',
    tags: ['server'],
    security: [],
    responses: { '200': { description: 'the OpenAPI 3.1 document', content: { 'application/json': {} } } },
  });
  add('POST', '/slack/actions', {
    operationId: 'slackActions',
    summary:
      "Slack interactivity (Block Kit buttons): signed by Slack (v0 HMAC-SHA256 with the signing secret, 5-minute window, replays refused); acts as the baton user mapped from the Slack user in BATON_SLACK_USERS. Answers 200 at once and posts the outcome to the action's response_url (ephemeral).",
    tags: ['slack'],
    security: [],
    parameters: [
      { name: 'X-Slack-Request-Timestamp', in: 'header', required: true, schema: { type: 'string' } },
      { name: 'X-Slack-Signature', in: 'header', required: true, schema: { type: 'string' } },
    ],
    requestBody: {
      required: true,
      content: {
        'application/x-www-form-urlencoded': {
          schema: {
            type: 'object',
            properties: { payload: { type: 'string', description: 'the interaction payload, JSON' } },
            required: ['payload'],
          },
        },
      },
    },
    responses: {
      '200': { description: 'received; the outcome goes to response_url' },
      '400': problem('No payload, or a payload that is not JSON.'),
      '401': problem('Not signed by Slack, stale, or replayed.'),
      '503': problem('SLACK_SIGNING_SECRET is not set.'),
    },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'baton',
      version: options.version,
      description:
        'The sales-to-delivery handoff of the assessment SOP. Every command and query of the CLI, through the same service layer and rules. Errors are application/problem+json (RFC 9457): 401 not signed in, 403 refused by a rule (`rule`, `allowed`), 404 not found, 409 version conflict, 422 bad input (`field`), 400 malformed JSON.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'handoffs', description: 'Handoffs: open, act, read' },
      { name: 'escalations' },
      { name: 'gate', description: 'The 8-check quality gate, as a query' },
      { name: 'sweep', description: "The Chief of Staff's daily sweep" },
      { name: 'users' },
      { name: 'server' },
      { name: 'slack' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token from `baton user add NAME --role ROLE` (shown once).',
        },
      },
      schemas: Object.fromEntries(components.map(([name, schema]) => [name, jsonSchema(schema, 'output')])),
    },
  };
}
