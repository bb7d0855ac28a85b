/**
 * Every error the server answers with, as `application/problem+json` (RFC 9457), mapped in this one place:
 * the service layer's kinds to HTTP statuses, and fastify's own errors (malformed JSON, too large, wrong
 * media type) to theirs. Unexpected errors are 500 with nothing of the error in the body (it is logged).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, type AppErrorKind } from '../../app/errors.ts';

export const problemContentType = 'application/problem+json';

/** Where problem types are described (`GET /api/problems/:kind`). */
export const problemTypeBase = '/api/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request's path. */
  instance?: string;
  /** The service layer's error kind (or an HTTP-level one: malformed, too-large, unsupported-media-type...). */
  kind: string;
  /** For a refusal by rule: the rule's id. */
  rule?: string;
  /** The field, parameter or header at fault. */
  field?: string;
  /** For a refusal: what the signed-in user may do on this handoff now. */
  allowed?: string[];
  /** The request id, also in the `X-Request-Id` header and the server log. */
  requestId?: string;
}

/** The problem document's schema, for the OpenAPI document. */
export const problemSchema = z.object({
  type: z.string().describe('a URI reference naming the kind of problem; GET it for a description'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().describe('what went wrong and what to do, for people'),
  instance: z.string().optional(),
  kind: z.string(),
  rule: z.string().optional().describe('for a refusal (403): the rule that refused'),
  field: z.string().optional().describe('the input field, parameter or header at fault'),
  allowed: z.array(z.string()).optional().describe('for a refusal: the commands you may run now'),
  requestId: z.string().optional(),
});

const appKinds: Record<AppErrorKind, { status: number; title: string; description: string }> = {
  'bad-input': {
    status: 422,
    title: 'Bad input',
    description: 'A field, parameter or header is missing or malformed; `field` names it.',
  },
  'not-a-packet': {
    status: 422,
    title: 'Not a handoff packet',
    description: 'The text is not a handoff packet (see packet-format.md); `field` names the line.',
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    description: 'No such handoff, escalation, file or route.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    description:
      'The handoff changed since the version you sent (If-Match or expectedVersion), or already exists; read it again and retry.',
  },
  refused: {
    status: 403,
    title: 'Refused by rule',
    description:
      'The handoff rules do not let you do this now; `rule` names the rule and `allowed` what you may do instead.',
  },
  unauthenticated: {
    status: 401,
    title: 'Sign in',
    description: 'Send a valid API token: Authorization: Bearer TOKEN (from baton user add).',
  },
};

/** HTTP-level problems (not from the service layer), by fastify error code. */
const httpKinds: Record<string, { status: number; title: string; kind: string; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    title: 'Malformed JSON',
    kind: 'malformed',
    detail: 'the request body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    title: 'Malformed JSON',
    kind: 'malformed',
    detail: 'the body is empty but Content-Type says JSON; send {} or no Content-Type',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    title: 'Body too large',
    kind: 'too-large',
    detail: 'the request body is larger than this server accepts',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
    kind: 'unsupported-media-type',
    detail: 'send the body as application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    title: 'Bad Content-Length',
    kind: 'malformed',
    detail: 'the Content-Length header does not match the body',
  },
};

/** The kinds of problem this server gives, described at `GET /api/problems/:kind`. */
export const problemDescriptions: Record<string, { title: string; status: number; description: string }> = {
  ...Object.fromEntries(Object.entries(appKinds).map(([k, v]) => [k, v])),
  malformed: {
    status: 400,
    title: 'Malformed request',
    description: 'The body is not valid JSON, or empty.',
  },
  'too-large': { status: 413, title: 'Body too large', description: 'The request body is too large.' },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    description: 'The API takes application/json bodies.',
  },
  internal: {
    status: 500,
    title: 'Internal error',
    description: 'Something unexpected failed; the request id finds it in the server log.',
  },
  'slack-signature': {
    status: 401,
    title: 'Bad Slack signature',
    description: 'The request is not signed by Slack with the signing secret, is stale, or was replayed.',
  },
  unavailable: {
    status: 503,
    title: 'Not configured',
    description: 'This endpoint needs configuration the server does not have.',
  },
};

/** An HTTP-level error with its own status and kind (the Slack endpoint's signature failures, etc.). */
export class HttpProblem extends Error {
  readonly status: number;
  readonly kind: string;
  readonly title: string;
  readonly field?: string;
  constructor(status: number, kind: string, title: string, detail: string, field?: string) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = status;
    this.kind = kind;
    this.title = title;
    if (field !== undefined) this.field = field;
  }
}

/** The problem for any error; `internal` marks one whose details must stay in the log. */
export function problemOf(error: unknown): Problem & { internal: boolean } {
  if (error instanceof AppError) {
    const known = appKinds[error.kind];
    return {
      type: `${problemTypeBase}${error.kind}`,
      title: known.title,
      status: known.status,
      detail: error.message,
      kind: error.kind,
      ...(error.rule ? { rule: error.rule, allowed: error.allowed ?? [] } : {}),
      ...(error.where ? { field: error.where } : {}),
      internal: false,
    };
  }
  if (error instanceof HttpProblem)
    return {
      type: `${problemTypeBase}${error.kind}`,
      title: error.title,
      status: error.status,
      detail: error.message,
      kind: error.kind,
      ...(error.field ? { field: error.field } : {}),
      internal: false,
    };
  const code = (error as { code?: unknown } | null)?.code;
  const http = typeof code === 'string' ? httpKinds[code] : undefined;
  if (http)
    return {
      type: `${problemTypeBase}${http.kind}`,
      title: http.title,
      status: http.status,
      detail: http.detail,
      kind: http.kind,
      internal: false,
    };
  // Other fastify errors with a 4xx status (a bad header, an unsupported method) keep their status; their
  // messages are fastify's own fixed texts, never request data.
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return {
      type: 'about:blank',
      title: 'Bad request',
      status,
      detail: error instanceof Error ? error.message : 'bad request',
      kind: 'bad-request',
      internal: false,
    };
  return {
    type: `${problemTypeBase}internal`,
    title: 'Internal error',
    status: 500,
    detail: 'something unexpected failed; the request id finds it in the server log',
    kind: 'internal',
    internal: true,
  };
}

/** Sends the problem for `error` (the one place every route's errors go through). */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const { internal, ...problem } = problemOf(error);
  if (internal) request.log.error({ err: error }, 'unexpected error');
  else if (problem.status >= 500) request.log.warn({ problem }, 'request failed');
  if (problem.status === 401 && problem.kind === 'unauthenticated')
    reply.header(
      'www-authenticate',
      request.headers.authorization ? 'Bearer realm="baton", error="invalid_token"' : 'Bearer realm="baton"',
    );
  return reply
    .code(problem.status)
    .header('content-type', `${problemContentType}; charset=utf-8`)
    .header('cache-control', 'no-store')
    .send({ ...problem, instance: request.url.split('?')[0], requestId: request.id });
}
