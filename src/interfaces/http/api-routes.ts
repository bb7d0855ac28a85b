/**
 * The JSON API under /api: one route per operation of src/app/operations.ts (the gate has two), each a thin
 * shell that assembles the operation's input from the path, the query or the body and the If-Match header,
 * runs it for the signed-in user through the service layer, and shapes the answer. Validation is the
 * operation's zod schema; every rule is the service layer's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../app/errors.ts';
import type { Baton } from '../../app/handoff-context.ts';
import type { CommandResult } from '../../app/handoffs.ts';
import { type OperationName, operationSchemas, operations, runOperation } from '../../app/operations.ts';
import type { ActorRef, Role } from '../../domain/workflow/index.ts';
import type { TokenAuthenticator } from './auth.ts';
import { problemDescriptions } from './problem.ts';
import {
  commandResponse,
  gateResponse,
  type healthResponse,
  historyResponse,
  listResponse,
  type meResponse,
  statusResponse,
  sweepResponse,
} from './responses.ts';

export interface ApiRoute {
  method: 'GET' | 'POST';
  /** fastify syntax: `/api/handoffs/:sow`. */
  url: string;
  operation: OperationName;
  /** Path parameters and the input field each one fills. */
  params?: Record<string, string>;
  /** Where the rest of the input comes from. */
  input: 'query' | 'body' | 'none';
  /** The success status (201 for a created handoff). */
  status?: number;
  tag: 'handoffs' | 'escalations' | 'gate' | 'sweep';
  response: z.ZodType;
  /** Shapes the operation's result for the wire. */
  respond: (result: unknown, input: Record<string, unknown>) => unknown;
}

const commandBody = (result: unknown): z.output<typeof commandResponse> => {
  const r = result as CommandResult;
  return {
    sow: r.sow,
    state: r.state.state ?? 'opened',
    version: r.state.version,
    events: r.events,
    warnings: r.state.warnings,
  };
};

const handoffCommand = (operation: OperationName, segment: string): ApiRoute => ({
  method: 'POST',
  url: `/api/handoffs/:sow/${segment}`,
  operation,
  params: { sow: 'sow' },
  input: 'body',
  tag: 'handoffs',
  response: commandResponse,
  respond: commandBody,
});

/** Every API route. A test checks that each operation has one and that each is in the OpenAPI document. */
export const apiRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    url: '/api/handoffs',
    operation: 'list',
    input: 'query',
    tag: 'handoffs',
    response: listResponse,
    respond: (result, input) => ({
      handoffs: result,
      limit: (input.limit as number | undefined) ?? 500,
      offset: (input.offset as number | undefined) ?? 0,
    }),
  },
  {
    method: 'POST',
    url: '/api/handoffs',
    operation: 'open',
    input: 'body',
    status: 201,
    tag: 'handoffs',
    response: commandResponse,
    respond: commandBody,
  },
  {
    method: 'GET',
    url: '/api/handoffs/:sow',
    operation: 'status',
    params: { sow: 'sow' },
    input: 'none',
    tag: 'handoffs',
    response: statusResponse,
    respond: (result) => result,
  },
  {
    method: 'GET',
    url: '/api/handoffs/:sow/history',
    operation: 'history',
    params: { sow: 'sow' },
    input: 'none',
    tag: 'handoffs',
    response: historyResponse,
    respond: (result, input) => ({ sow: String(input.sow).toUpperCase(), events: result }),
  },
  {
    method: 'GET',
    url: '/api/handoffs/:sow/gate',
    operation: 'gate',
    params: { sow: 'sow' },
    input: 'none',
    tag: 'gate',
    response: gateResponse,
    respond: (result) => result,
  },
  {
    method: 'POST',
    url: '/api/gate',
    operation: 'gate',
    input: 'body',
    tag: 'gate',
    response: gateResponse,
    respond: (result) => result,
  },
  handoffCommand('payment', 'payment'),
  handoffCommand('submit', 'submit'),
  handoffCommand('attest', 'attest'),
  handoffCommand('ack', 'ack'),
  handoffCommand('reject', 'reject'),
  handoffCommand('schedule', 'schedule'),
  handoffCommand('intro', 'intro'),
  handoffCommand('approveDeviation', 'approve-deviation'),
  handoffCommand('flag', 'flag'),
  {
    method: 'POST',
    url: '/api/escalations/:id/resolve',
    operation: 'resolve',
    params: { id: 'escalationId' },
    input: 'body',
    tag: 'escalations',
    response: commandResponse,
    respond: commandBody,
  },
  {
    method: 'POST',
    url: '/api/sweep',
    operation: 'sweep',
    input: 'body',
    tag: 'sweep',
    response: sweepResponse,
    respond: (result) => result,
  },
];

/** The input fields of an operation that are numbers or booleans, for reading them from a query string. */
function scalarFields(operation: OperationName): Map<string, 'boolean' | 'number'> {
  const schema = z.toJSONSchema(operationSchemas[operation], { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { type?: string }>;
  };
  const out = new Map<string, 'boolean' | 'number'>();
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (property.type === 'boolean') out.set(key, 'boolean');
    else if (property.type === 'integer' || property.type === 'number') out.set(key, 'number');
  }
  return out;
}

/** Query strings carry text; numbers and booleans are read as such, anything else is left for zod to name. */
function readQuery(query: unknown, scalars: Map<string, 'boolean' | 'number'>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const kind = scalars.get(key);
    if (typeof value !== 'string' || !kind) out[key] = value;
    else if (kind === 'boolean') out[key] = value === 'true' ? true : value === 'false' ? false : value;
    else out[key] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return out;
}

/** `If-Match: "12"` → 12. Only one strong tag makes sense for one handoff's version. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return undefined;
  const match = /^"(\d{1,9})"$/.exec(value);
  if (!match)
    throw new AppError(
      'bad-input',
      `If-Match: write the handoff's version as a strong ETag, e.g. If-Match: "3" (got ${JSON.stringify(value.slice(0, 40))})`,
      'If-Match',
    );
  return Number(match[1]);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function inputOf(route: ApiRoute, request: FastifyRequest, scalars: Map<string, 'boolean' | 'number'>) {
  let input: Record<string, unknown>;
  if (route.input === 'query') input = readQuery(request.query, scalars);
  else if (route.input === 'body') {
    const body = request.body ?? {};
    if (!isPlainObject(body)) throw new AppError('bad-input', 'body: send a JSON object', 'body');
    input = { ...body };
  } else input = {};
  const params = (request.params ?? {}) as Record<string, string>;
  for (const [param, field] of Object.entries(route.params ?? {})) {
    const value = params[param];
    const sent = input[field];
    if (sent !== undefined && (typeof sent !== 'string' || sent.toUpperCase() !== value?.toUpperCase()))
      throw new AppError(
        'bad-input',
        `${field}: the body says ${JSON.stringify(sent)}, the path ${value}`,
        field,
      );
    input[field] = value;
  }
  const ifMatch = versionFromIfMatch(request.headers['if-match']);
  if (ifMatch !== undefined) {
    if (!('expectedVersion' in operationSchemas[route.operation].shape))
      throw new AppError(
        'bad-input',
        `If-Match: ${route.method} ${route.url} does not take a version`,
        'If-Match',
      );
    if (input.expectedVersion !== undefined && input.expectedVersion !== ifMatch)
      throw new AppError(
        'bad-input',
        `expectedVersion: ${JSON.stringify(input.expectedVersion)} differs from If-Match "${ifMatch}"; send one`,
        'expectedVersion',
      );
    input.expectedVersion = ifMatch;
  }
  return input;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route anyone may call (health, problem descriptions). */
    public?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in user (set by the API's authentication hook). */
    actor: ActorRef | null;
  }
}

/** Registers /api (in its own scope: JSON bodies only, every route but health signed in). */
export async function registerApiRoutes(
  app: FastifyInstance,
  deps: { baton: Baton; auth: TokenAuthenticator },
): Promise<void> {
  const { baton, auth } = deps;
  app.decorateRequest('actor', null);
  // Plain text is not an API body; without its parser such a request is a 415.
  app.removeContentTypeParser('text/plain');
  const noStore: onRequestHookHandler = (_request, reply, done) => {
    reply.header('cache-control', 'no-store');
    done();
  };
  // Before the body is read: an unknown caller learns nothing about the input.
  const signIn: onRequestHookHandler = (request, reply, done) => {
    reply.header('cache-control', 'no-store');
    // A token signed in a moment ago (the usual request of a busy client) needs no promise.
    let known: ActorRef | undefined;
    try {
      known = auth.cached(request, 'http');
    } catch (error) {
      return done(error as Error);
    }
    if (known) {
      request.actor = known;
      return done();
    }
    auth.authenticate(request, 'http').then((actor) => {
      request.actor = actor;
      done();
    }, done);
  };
  // Every route of this scope signs in unless it says it is public: decided once per route, not on each
  // request (request.routeOptions builds a new object at each read).
  app.addHook('onRoute', (route) => {
    const own = route.onRequest === undefined ? [] : [route.onRequest].flat();
    route.onRequest = [route.config?.public ? noStore : signIn, ...own];
  });

  const actorOf = (request: FastifyRequest): ActorRef => {
    if (!request.actor) throw new AppError('unauthenticated', 'sign in first', 'Authorization');
    return request.actor;
  };

  const serialized = new WeakMap<object, Buffer>();
  for (const route of apiRoutes) {
    const scalars = route.input === 'query' ? scalarFields(route.operation) : new Map();
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const input = inputOf(route, request, scalars);
        const result = await runOperation(baton, actorOf(request), route.operation, input);
        const body = route.respond(result, input) as { version?: unknown };
        // The handoff's version: send it back as If-Match to act on exactly what was seen.
        if (typeof body.version === 'number') reply.header('etag', `"${body.version}"`);
        if (route.status === 201) reply.header('location', `/api/handoffs/${(body as { sow: string }).sow}`);
        reply.code(route.status ?? 200);
        // A frozen answer is a cached one (see status-cache.ts): serialise and encode it once.
        if (!Object.isFrozen(body)) return reply.send(body);
        let bytes = serialized.get(body);
        if (bytes === undefined) {
          bytes = Buffer.from(JSON.stringify(body), 'utf8');
          serialized.set(body, bytes);
        }
        return reply.type('application/json; charset=utf-8').send(bytes);
      },
    });
  }

  app.get('/api/me', async (request) => {
    const actor = actorOf(request);
    const me: z.output<typeof meResponse> = { name: actor.name, role: actor.role as Role, via: actor.via };
    return me;
  });
  app.get(
    '/api/health',
    { config: { public: true } },
    async () => ({ status: 'ok' as const }) satisfies z.output<typeof healthResponse>,
  );
  app.get<{ Params: { kind: string } }>(
    '/api/problems/:kind',
    { config: { public: true } },
    async (request, reply) => {
      const known = problemDescriptions[request.params.kind];
      if (!known) throw new AppError('not-found', `no problem type ${request.params.kind}`, 'kind');
      return reply
        .type('text/plain; charset=utf-8')
        .send(`${known.title} (HTTP ${known.status})\n\n${known.description}\n`);
    },
  );
}

/** Operations with no API route (a test keeps this empty). */
export function operationsWithoutRoute(): string[] {
  const routed = new Set(apiRoutes.map((r) => r.operation));
  return Object.keys(operations).filter((name) => !routed.has(name as OperationName));
}
