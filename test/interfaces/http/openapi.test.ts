// The OpenAPI document: valid OpenAPI 3.1 (checked against the official schema), every route the server
// has is in it and nothing else, every operation of the service layer has a route, and the inputs it
// documents are the operations' own zod schemas.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { operations } from '../../../src/app/operations.ts';
import { apiRoutes, operationsWithoutRoute } from '../../../src/interfaces/http/api-routes.ts';
import { openApiPath } from '../../../src/interfaces/http/openapi.ts';
import { routesOf } from '../../../src/interfaces/http/server.ts';
import { startServer, type TestServer } from './http-fixture.ts';

type Spec = Parameters<Validator['validate']>[0];
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  security: unknown[];
};
type OperationObject = {
  operationId: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema: Record<string, unknown> }[];
  requestBody?: {
    content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }>;
  };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }>; headers?: object }>;
};

describe('GET /openapi.json', () => {
  let t: TestServer;
  let doc: Doc;
  before(async () => {
    t = await startServer({
      server: {
        plugins: [
          (app) => {
            app.get('/dashboard', async () => 'a plugin route, not the API');
          },
        ],
      },
    });
    const r = await t.call(null, 'GET', '/openapi.json');
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    doc = JSON.parse(r.body);
  });
  after(() => t.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    assert.equal(doc.openapi, '3.1.0');
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as unknown as Spec);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    assert.equal(validator.version, '3.1');
    // The validator does check: a response without its required description is refused.
    const broken = structuredClone(doc);
    const meOk = broken.paths['/api/me']?.get?.responses['200'] as { description?: string } | undefined;
    assert.ok(meOk);
    delete meOk.description;
    assert.equal((await new Validator().validate(broken as unknown as Spec)).valid, false);
  });

  it('documents every route of the API, Slack and the document itself, and no route it does not have', () => {
    const served = routesOf(t.app)
      .filter((r) => r.method !== 'HEAD' && /^\/(api|slack|openapi\.json)/.test(r.url))
      .map((r) => `${r.method} ${openApiPath(r.url)}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    assert.deepEqual(documented, served);
    assert.ok(served.length >= apiRoutes.length + 4);
    assert.ok(!documented.some((d) => d.includes('/dashboard')), 'plugin routes are not part of the API');
  });

  it('has a route for every operation of the service layer', () => {
    assert.deepEqual(operationsWithoutRoute(), []);
    const ids = new Set(Object.values(doc.paths).flatMap((m) => Object.values(m).map((o) => o.operationId)));
    for (const name of Object.keys(operations)) assert.ok(ids.has(name), `operation ${name} is documented`);
    assert.equal(
      ids.size,
      Object.values(doc.paths).flatMap((m) => Object.values(m)).length,
      'ids are unique',
    );
  });

  it('signs in with a bearer token everywhere but the public routes', () => {
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
      type: 'http',
      scheme: 'bearer',
      description: 'An API token from `baton user add NAME --role ROLE` (shown once).',
    });
    assert.deepEqual(doc.security, [{ bearerAuth: [] }]);
    const publicOnes = Object.entries(doc.paths)
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([m, o]) => [`${m.toUpperCase()} ${path}`, o.security] as const),
      )
      .filter(([, security]) => Array.isArray(security) && security.length === 0)
      .map(([route]) => route)
      .sort();
    assert.deepEqual(publicOnes, [
      'GET /api/health',
      'GET /api/problems/{kind}',
      'GET /openapi.json',
      'POST /slack/actions',
    ]);
  });

  it('answers errors with the problem+json schema (RFC 9457 members plus rule, field, allowed)', () => {
    const problem = doc.components.schemas.Problem as {
      properties: Record<string, unknown>;
      required: string[];
    };
    for (const member of ['type', 'title', 'status', 'detail', 'instance', 'rule', 'field', 'allowed'])
      assert.ok(member in problem.properties, member);
    assert.deepEqual(problem.required.sort(), ['detail', 'kind', 'status', 'title', 'type']);
    const ack = doc.paths['/api/handoffs/{sow}/ack']?.post;
    assert.ok(ack);
    for (const status of ['401', '403', '404', '409', '422'])
      assert.equal(
        ack.responses[status]?.content?.['application/problem+json']?.schema?.$ref,
        '#/components/schemas/Problem',
        status,
      );
    assert.ok(ack.responses['200']?.headers, 'the answer documents its ETag');
  });

  it("documents each route's input from the operation's zod schema", () => {
    const ack = doc.paths['/api/handoffs/{sow}/ack']?.post;
    const sow = ack?.parameters?.find((p) => p.name === 'sow');
    assert.deepEqual(
      { in: sow?.in, required: sow?.required, pattern: sow?.schema.pattern },
      { in: 'path', required: true, pattern: '^SOW-\\d{4}-\\d{3,}$' },
    );
    assert.ok(ack?.parameters?.some((p) => p.name === 'If-Match' && p.in === 'header'));
    const body = ack?.requestBody?.content['application/json']?.schema;
    assert.deepEqual(Object.keys(body?.properties ?? {}).sort(), ['attestations', 'expectedVersion']);
    const open = doc.paths['/api/handoffs']?.post?.requestBody?.content['application/json']?.schema;
    assert.deepEqual(open?.required?.sort(), ['sow', 'sowSigned']);
    const list = doc.paths['/api/handoffs']?.get?.parameters?.map(
      (p) => `${p.in}:${p.name}:${p.schema.type}`,
    );
    assert.deepEqual(list?.sort(), [
      'query:limit:integer',
      'query:offset:integer',
      'query:overdue:boolean',
      'query:owner:string',
      'query:state:string',
    ]);
    const resolve = doc.paths['/api/escalations/{id}/resolve']?.post;
    assert.equal(
      resolve?.parameters?.find((p) => p.name === 'id')?.schema.pattern,
      '^ESC-SOW-\\d{4}-\\d{3,}-\\d+$',
    );
    assert.ok(
      !('escalationId' in (resolve?.requestBody?.content['application/json']?.schema.properties ?? {})),
    );
  });
});
