/**
 * One fastify server for everything baton serves: the JSON API under /api, /openapi.json, Slack's
 * interactivity endpoint, and whatever plugins mount beside them (the dashboard, MCP over HTTP).
 *
 *   const app = buildServer(baton, { plugins: [registerWebRoutes, mcpPlugin] });
 *   await app.listen({ port: 8080, host: '127.0.0.1' });
 *
 * A plugin is `(app, deps) => void | Promise<void>`; it runs in its own fastify scope (its hooks, parsers
 * and error handler stay its own) and gets `deps`: the service layer's context, token sign-in, and the one
 * problem+json error mapping. Every response carries the security headers below and an X-Request-Id.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import helmet from 'helmet';
import packageJson from '../../../package.json' with { type: 'json' };
import { AppError } from '../../app/errors.ts';
import type { Baton } from '../../app/handoff-context.ts';
import type { ActorRef, Via } from '../../domain/workflow/index.ts';
import { registerApiRoutes } from './api-routes.ts';
import { bearerToken, tokenAuthenticator } from './auth.ts';
import { openApiDocument } from './openapi.ts';
import { sendProblem } from './problem.ts';
import { registerSlackActions, type SlackOptions } from './slack-actions.ts';

export interface ServerDeps {
  baton: Baton;
  /** The user of the request's `Authorization: Bearer TOKEN`, acting through `via`; throws `unauthenticated`. */
  authenticate(request: FastifyRequest, via: Via): Promise<ActorRef>;
  /** The user of a token (a sign-in form), acting through `via`; throws `unauthenticated`. */
  actorForToken(token: string | undefined, via: Via): Promise<ActorRef>;
  /** Reads `Authorization: Bearer TOKEN` without checking it; undefined when there is none. */
  bearerToken(request: FastifyRequest): string | undefined;
  /** Answers with the application/problem+json for an error: the one place errors become statuses. */
  sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply;
  /**
   * Sets the page for unknown paths asked for by a browser (Accept: text/html), outside /api, /slack,
   * /mcp and /openapi.json, which keep answering problem+json.
   */
  setHtmlNotFound(handler: (request: FastifyRequest, reply: FastifyReply) => unknown): void;
}

export type ServerPlugin = (app: FastifyInstance, deps: ServerDeps) => void | Promise<void>;

export interface ServerOptions {
  /** Mounted in order, each in its own scope. */
  plugins?: ServerPlugin[];
  /** Request logging (pino JSON lines); off by default. Authorization, Cookie and Set-Cookie are redacted. */
  logger?: boolean | { level?: string; stream?: { write(line: string): void } };
  slack?: SlackOptions;
  /** How long a token lookup is reused (ms); default 5000, 0 to look up every time. */
  tokenCacheMs?: number;
  /** The largest request body (bytes); default 2 MiB (a packet is at most 1,000,000 characters). */
  bodyLimit?: number;
  /** Content-Security-Policy directives to add or replace (camelCase names, as helmet takes them). */
  contentSecurityPolicy?: Record<string, string[]>;
  /** Behind a reverse proxy: trust its X-Forwarded-* headers. */
  trustProxy?: boolean;
}

/** The strict default: this origin only, no inline script or style, no framing, no plugins. */
export const defaultContentSecurityPolicy: Record<string, string[]> = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * The security headers, worked out once by helmet (they do not depend on the request): running helmet's
 * middleware per request re-parses the policy every time.
 */
export function securityHeaders(csp: Record<string, string[]>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: csp },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    // Only meaningful behind TLS; never for the company's other subdomains.
    strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
  })({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

/**
 * The headers of a machine answer (the API, MCP, Slack, the OpenAPI document): JSON that no browser renders
 * as a page. OWASP's REST Security Cheat Sheet: a CSP that allows nothing and no framing, nosniff, HSTS;
 * with cross-origin-resource-policy, so that no other site can embed the answers. The headers that only
 * matter to a rendered page (opener policy, origin-agent-cluster, referrer policy, DNS prefetch, IE and
 * Flash switches, the XSS auditor) are the pages' alone: each header is about a microsecond of every answer.
 */
export function machineHeaders(pageHeaders: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': "default-src 'none';frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-resource-policy': 'same-origin',
  };
  const hsts = pageHeaders['strict-transport-security'];
  if (hsts) headers['strict-transport-security'] = hsts;
  return headers;
}

/** The headers without Strict-Transport-Security, which RFC 6797 (7.2) forbids over plain HTTP. */
function withoutHsts(headers: Record<string, string>): Record<string, string> {
  const { 'strict-transport-security': _hsts, ...rest } = headers;
  return rest;
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,64}$/;
const machinePaths = /^\/(api|slack|mcp|openapi\.json)(\/|$|\?)/;
const routesByServer = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

/** Every route the server has (after `ready()`), for tests that compare them with the OpenAPI document. */
export function routesOf(app: FastifyInstance): { method: string; url: string }[] {
  return [...(routesByServer.get(app) ?? [])];
}

export function buildServer(baton: Baton, options: ServerOptions = {}): FastifyInstance {
  const logger =
    options.logger === undefined || options.logger === false
      ? false
      : {
          level: (options.logger !== true && options.logger.level) || 'info',
          ...(options.logger !== true && options.logger.stream ? { stream: options.logger.stream } : {}),
          // Secrets never reach the log: tokens, session cookies, Slack's signature.
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'req.headers["x-slack-signature"]',
              'res.headers["set-cookie"]',
            ],
            censor: '[redacted]',
          },
          serializers: {
            req: (request: FastifyRequest) => ({
              id: request.id,
              method: request.method,
              // The path only: query strings are the client's business.
              url: request.url.split('?')[0],
              remoteAddress: request.ip,
              // Headers help to trace a client; the secret ones are redacted above.
              headers: request.headers,
            }),
          },
        };
  const app = Fastify({
    logger,
    bodyLimit: options.bodyLimit ?? 2 * 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    // A proxy's request id is kept when it looks like one; anything else gets a fresh UUID.
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
  });
  const routes: { method: string; url: string }[] = [];
  routesByServer.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });

  const pageHeaders = securityHeaders({ ...defaultContentSecurityPolicy, ...options.contentSecurityPolicy });
  const answerHeaders = machineHeaders(pageHeaders);
  // Over HTTPS (or behind a trusted proxy that says so) with HSTS, over plain HTTP without.
  const headerSets = {
    https: { page: pageHeaders, answer: answerHeaders },
    http: { page: withoutHsts(pageHeaders), answer: withoutHsts(answerHeaders) },
  };
  app.addHook('onRequest', (request, reply, done) => {
    const set = request.protocol === 'https' ? headerSets.https : headerSets.http;
    reply.headers(machinePaths.test(request.url) ? set.answer : set.page).header('x-request-id', request.id);
    done();
  });

  let htmlNotFound: ((request: FastifyRequest, reply: FastifyReply) => unknown) | undefined;
  app.setErrorHandler((error, request, reply) => sendProblem(request, reply, error));
  app.setNotFoundHandler((request, reply) => {
    if (htmlNotFound && !machinePaths.test(request.url) && request.headers.accept?.includes('text/html'))
      return htmlNotFound(request, reply);
    return sendProblem(
      request,
      reply,
      new AppError('not-found', `there is no ${request.method} ${request.url.split('?')[0]}`, 'path'),
    );
  });

  const auth = tokenAuthenticator(baton, { ttlMs: options.tokenCacheMs ?? 5_000 });
  const deps: ServerDeps = {
    baton,
    authenticate: (request, via) => auth.authenticate(request, via),
    actorForToken: (token, via) => auth.actorForToken(token, via),
    bearerToken,
    sendProblem,
    setHtmlNotFound: (handler) => {
      htmlNotFound = handler;
    },
  };

  void app.register(async (api) => registerApiRoutes(api, { baton, auth }));
  let document: string | undefined;
  app.get('/openapi.json', async (_request, reply) => {
    document ??= JSON.stringify(openApiDocument({ version: packageJson.version }));
    return reply.type('application/json; charset=utf-8').send(document);
  });
  void app.register(async (scope) => registerSlackActions(scope, { baton, slack: options.slack ?? {} }));
  for (const plugin of options.plugins ?? []) void app.register(async (scope) => plugin(scope, deps));
  return app;
}
