import { readFile } from 'node:fs/promises';
import { builtInPlaybook, type Playbook, PlaybookError, validatePlaybook } from '../domain/playbook/index.ts';
import { AppError } from './errors.ts';

/** The built-in playbook, or a company's own file (JSON, or YAML by extension). */
export async function loadPlaybook(file: string | undefined): Promise<Playbook> {
  if (!file) return builtInPlaybook();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new AppError(
      'bad-input',
      `cannot read the playbook file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'playbook',
    );
  }
  let data: unknown;
  try {
    if (/\.ya?ml$/i.test(file)) {
      const { parse } = await import('yaml');
      data = parse(text);
    } else data = JSON.parse(text);
  } catch (e) {
    throw new AppError(
      'bad-input',
      `playbook ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
      'playbook',
    );
  }
  try {
    return validatePlaybook(data, file);
  } catch (e) {
    if (e instanceof PlaybookError) throw new AppError('bad-input', e.message, e.issues[0]?.path);
    throw e;
  }
}
