/** Errors the service layer gives; every interface maps `kind` to its own code (exit status, HTTP status). */
export type AppErrorKind =
  | 'bad-input'
  | 'not-found'
  | 'conflict'
  | 'refused'
  | 'not-a-packet'
  | 'unauthenticated';

export class AppError extends Error {
  readonly kind: AppErrorKind;
  /** The field, option or line at fault, when there is one. */
  readonly where?: string;
  /** For a refusal: the rule that refused, and what the actor may do instead. */
  rule?: string;
  allowed?: string[];
  constructor(kind: AppErrorKind, message: string, where?: string) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    if (where !== undefined) this.where = where;
  }
}
