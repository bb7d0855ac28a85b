import { Temporal } from 'temporal-polyfill';
import { AppError } from './errors.ts';

/** What the program takes from its surroundings; read once at the edge and passed down. */
export interface Environment {
  /** The company knowledge root (the SOP's `/Claude/`). */
  root: string;
  /** The clock: `BATON_NOW` when set, else the system clock. */
  now: () => Temporal.Instant;
  /**
   * The same clock in milliseconds since the epoch, for hot paths that need no more (the status cache,
   * on every API request): a Temporal.Instant costs more than the answer's own work. Default: from `now`.
   */
  nowEpochMilliseconds?: () => number;
  /** A company playbook file, when one is configured. */
  playbookFile?: string;
}

export function clockFrom(value: string | undefined): () => Temporal.Instant {
  if (!value) return () => Temporal.Now.instant();
  let fixed: Temporal.Instant;
  try {
    fixed = Temporal.Instant.from(value);
  } catch {
    throw new AppError(
      'bad-input',
      `BATON_NOW=${JSON.stringify(value)} is not an ISO instant; write e.g. 2026-05-14T10:00:00-04:00`,
      'BATON_NOW',
    );
  }
  return () => fixed;
}

export function environmentFrom(
  env: Record<string, string | undefined>,
  options: { root?: string; playbook?: string; cwd: string },
): Environment {
  const playbookFile = options.playbook ?? env.BATON_PLAYBOOK;
  const now = clockFrom(env.BATON_NOW);
  // BATON_NOW's instant is read once, for both clocks.
  const fixedMs = env.BATON_NOW ? now().epochMilliseconds : undefined;
  return {
    root: options.root ?? env.BATON_ROOT ?? options.cwd,
    now,
    nowEpochMilliseconds: fixedMs === undefined ? Date.now : () => fixedMs,
    ...(playbookFile ? { playbookFile } : {}),
  };
}
