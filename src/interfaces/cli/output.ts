import pc from 'picocolors';
import { AppError } from '../../app/errors.ts';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  isTty: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTty: !!process.stdout.isTTY,
};

/** Colours only on a terminal. */
export function colours(io: Io) {
  return pc.createColors(io.isTty && !process.env.NO_COLOR);
}

/** Exit codes: 2 bad input or misuse, 3 conflict, 4 refused by a rule. */
export function exitCodeFor(error: AppError): number {
  switch (error.kind) {
    case 'conflict':
      return 3;
    case 'refused':
    case 'unauthenticated':
      return 4;
    default:
      return 2;
  }
}

/** Reports an error: the message on stderr, and under --json an `{"error": ...}` object on stdout. */
export function reportError(io: Io, error: unknown, json: boolean): number {
  const appError =
    error instanceof AppError
      ? error
      : new AppError('bad-input', error instanceof Error ? error.message : String(error));
  io.err(`baton: ${appError.message}\n`);
  if (appError.rule) io.err(`rule: ${appError.rule}\n`);
  if (appError.allowed) io.err(`you may: ${appError.allowed.join(', ') || 'nothing on this handoff now'}\n`);
  if (json) {
    io.out(
      `${JSON.stringify({
        error: {
          kind: appError.kind,
          message: appError.message,
          ...(appError.where ? { where: appError.where } : {}),
          ...(appError.rule ? { rule: appError.rule, allowed: appError.allowed ?? [] } : {}),
        },
      })}\n`,
    );
  }
  return exitCodeFor(appError);
}
