import { type ActorRef, type Role, roles, type Via } from '../domain/workflow/index.ts';
import { AppError } from './errors.ts';

/**
 * Reads `ROLE[:NAME]` (from `--as` or `BATON_ACTOR`). Without a name the person is named after the role,
 * which is enough for one person per role and keeps separation of duties by name meaningful.
 */
export function parseActor(value: string | undefined, via: Via): ActorRef {
  if (!value?.trim())
    throw new AppError(
      'bad-input',
      `say who is acting: --as ROLE[:NAME] or BATON_ACTOR, ROLE one of ${roles.join(', ')}`,
      'as',
    );
  const [rolePart = '', ...rest] = value.trim().split(':');
  const role = rolePart.trim().toLowerCase();
  if (!(roles as readonly string[]).includes(role))
    throw new AppError('bad-input', `--as: unknown role "${rolePart}"; roles are ${roles.join(', ')}`, 'as');
  const name = rest.join(':').trim() || role;
  if (name.length > 100 || /[\p{Cc}]/u.test(name))
    throw new AppError('bad-input', '--as: the name must be plain text of at most 100 characters', 'as');
  return { role: role as Role, name, via };
}
