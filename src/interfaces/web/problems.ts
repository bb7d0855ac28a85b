/**
 * The dashboard's one mapping of errors to what people see: the service layer's kinds to HTTP statuses
 * and a friendly message naming the rule or field (403 refused, 409 conflict, 422 bad input...).
 */
import { AppError } from '../../app/errors.ts';
import { html, type SafeHtml } from './html.ts';
import { type PageContext, page, publicPage } from './layout.ts';

/** A form came without its session's CSRF token, or with another one. */
export class CsrfError extends Error {
  constructor() {
    super(
      'this form is missing its security token or it does not match your session (it may be from an old page or another site); reload the page and try again',
    );
    this.name = 'CsrfError';
  }
}

export interface WebProblem {
  status: number;
  title: string;
  message: string;
  rule?: string;
  field?: string;
  allowed?: string[];
}

const titles: Record<AppError['kind'], [number, string]> = {
  refused: [403, 'Not allowed'],
  conflict: [409, 'Changed while you were working'],
  'bad-input': [422, 'Please check what you entered'],
  'not-a-packet': [422, 'This is not a handoff packet'],
  'not-found': [404, 'Not found'],
  unauthenticated: [401, 'Please sign in'],
};

export function problemOf(error: unknown): WebProblem {
  if (error instanceof AppError) {
    const [status, title] = titles[error.kind];
    return {
      status,
      title,
      message: error.message,
      ...(error.rule ? { rule: error.rule } : {}),
      ...(error.where ? { field: error.where } : {}),
      ...(error.allowed ? { allowed: error.allowed } : {}),
    };
  }
  if (error instanceof CsrfError)
    return { status: 403, title: 'Security check failed', message: error.message, rule: 'csrf-token' };
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 413)
    return { status, title: 'Too large', message: 'what you sent is larger than this server accepts' };
  if (status && status >= 400 && status < 500)
    return {
      status,
      title: 'Bad request',
      message: 'the request could not be read; reload the page and try again',
    };
  return {
    status: 500,
    title: 'Something went wrong',
    message: 'an unexpected error happened on the server; it was logged. Reload and try again.',
  };
}

export function problemBody(problem: WebProblem, back: string): SafeHtml {
  return html`<div class="problem" role="alert">
  <p><strong>${problem.title}.</strong> ${problem.message}</p>
  ${problem.rule ? html`<p>Rule: <code>${problem.rule}</code></p>` : ''}
  ${problem.field && !problem.rule ? html`<p>Field: <code>${problem.field}</code></p>` : ''}
  ${problem.allowed && problem.allowed.length > 0 ? html`<p>What you may do on this handoff now: ${problem.allowed.join(', ')}.</p>` : problem.allowed ? html`<p>There is nothing you may do on this handoff now.</p>` : ''}
</div>
<p>${problem.status === 409 ? html`<a href="${back}">Reload</a> to see the current version, then try again.` : html`<a href="${back}">Go back</a>`}</p>`;
}

export function problemPage(problem: WebProblem, ctx: PageContext | undefined, back: string): SafeHtml {
  return ctx
    ? page(problem.title, ctx, problemBody(problem, back))
    : publicPage(problem.title, problemBody(problem, back));
}
