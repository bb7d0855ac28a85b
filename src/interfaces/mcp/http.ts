/**
 * MCP over Streamable HTTP at /mcp, as a plugin of baton's fastify server:
 *
 *   buildServer(baton, { plugins: [mcpHttpPlugin] })      // or, on any fastify: app.register((s) => mcpHttpPlugin(s, { baton }))
 *
 * Stateless by design: each POST carries the user's API token (Authorization: Bearer TOKEN), is served by a
 * fresh MCP server acting as that user, and keeps nothing after its answer. So a disabled token stops
 * working on the next request, there is no session id to steal or to leak memory with, and any number of
 * server processes can answer. The price is server-to-client streams, which baton has no use for: GET
 * (the SSE stream) and DELETE (ending a session) answer 405, as the transport specification allows.
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../app/errors.ts';
import type { Baton } from '../../app/handoff-context.ts';
import { actorForToken } from '../../app/users.ts';
import type { ActorRef, Via } from '../../domain/workflow/index.ts';
import { createMcpServer } from './server.ts';

export const mcpPath = '/mcp';

/** What the plugin needs; baton's server passes its own sign-in (with its token cache) and error mapping. */
export interface McpHttpDeps {
  baton: Baton;
  /** The user of the request's bearer token; throws `unauthenticated`. Default: a store lookup per request. */
  authenticate?(request: FastifyRequest, via: Via): Promise<ActorRef>;
  /** Answers an error (here: failed sign-in) as the server answers every error. Default: problem+json 401. */
  sendProblem?(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply;
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!match?.[1])
    throw new AppError('unauthenticated', 'the Authorization header must be "Bearer TOKEN"', 'Authorization');
  return match[1];
}

/** The answer to a failed sign-in when the plugin runs outside baton's server. */
function signInProblem(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof AppError) || error.kind !== 'unauthenticated') throw error;
  return reply
    .code(401)
    .header(
      'www-authenticate',
      request.headers.authorization ? 'Bearer realm="baton", error="invalid_token"' : 'Bearer realm="baton"',
    )
    .header('cache-control', 'no-store')
    .type('application/problem+json; charset=utf-8')
    .send({ type: 'about:blank', title: 'Sign in', status: 401, detail: error.message, kind: error.kind });
}

/** Headers that describe the connection or the original body, not the request the SDK reads. */
const hopHeaders = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/** The request as the SDK's web-standard transport takes it, with the body as it came. */
function webRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined && !hopHeaders.has(name)) for (const v of [value].flat()) headers.append(name, v);
  return new Request(new URL(request.url, 'http://localhost'), {
    method: request.method,
    headers,
    ...(typeof request.body === 'string' ? { body: request.body } : {}),
  });
}

export function mcpHttpPlugin(app: FastifyInstance, deps: McpHttpDeps): void {
  const authenticate =
    deps.authenticate ??
    ((request: FastifyRequest, via: Via) => actorForToken(deps.baton, bearerToken(request), via));
  const sendProblem = deps.sendProblem ?? signInProblem;

  // In this plugin's scope only: the body reaches the SDK untouched, which checks its media type and
  // answers malformed JSON with JSON-RPC's parse error (-32700), as MCP clients expect.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const signedIn = async (request: FastifyRequest, reply: FastifyReply): Promise<ActorRef | undefined> => {
    try {
      return await authenticate(request, 'mcp');
    } catch (error) {
      sendProblem(request, reply, error);
      return undefined;
    }
  };

  app.post(mcpPath, async (request, reply) => {
    const actor = await signedIn(request, reply);
    if (!actor) return reply;
    const server = createMcpServer(deps.baton, actor, { log: (line) => request.log.error(line) });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      // One JSON answer per POST: baton's tools report no progress worth a stream.
      enableJsonResponse: true,
    });
    try {
      await server.connect(transport);
      // Resolves once every request in the POST is answered; the body is then complete.
      const response = await transport.handleRequest(webRequest(request));
      return reply.send(response);
    } finally {
      await server.close();
    }
  });

  const notAllowed = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!(await signedIn(request, reply))) return reply;
    return reply
      .code(405)
      .header('allow', 'POST')
      .send({
        jsonrpc: '2.0',
        error: {
          code: -32000,
          message: 'Method not allowed: baton serves MCP statelessly; POST each message to /mcp',
        },
        id: null,
      });
  };
  app.get(mcpPath, notAllowed);
  app.delete(mcpPath, notAllowed);
}
