import { builtInPlaybook } from '../domain/playbook/load.ts';
import type { Playbook } from '../domain/playbook/schema.ts';
import { AppError } from './errors.ts';
import { readFile } from './read-file.ts';

/** The built-in playbook, or a company's own file (JSON, or YAML by extension), validated. */
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
  const yaml = /\.ya?ml$/i.test(file);
  let data: unknown;
  try {
    data = yaml ? (await yamlParser())(text) : JSON.parse(text);
  } catch (e) {
    throw new AppError(
      'bad-input',
      `playbook ${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
      'playbook',
    );
  }
  // The validator (zod) is loaded only for a company's own playbook.
  const { PlaybookError, validatePlaybook } = await import('../domain/playbook/validate.ts');
  try {
    return validatePlaybook(data, file);
  } catch (e) {
    if (e instanceof PlaybookError) throw new AppError('bad-input', e.message, e.issues[0]?.path);
    throw e;
  }
}

/**
 * yaml's `parse`. yaml is a CommonJS package: Node gives its exports as named ones, the CLI bundle (esbuild)
 * only as the default export.
 */
async function yamlParser(): Promise<(text: string) => unknown> {
  const yaml: { parse?: (text: string) => unknown; default?: { parse: (text: string) => unknown } } =
    await import('yaml');
  const parse = yaml.parse ?? yaml.default?.parse;
  if (!parse) throw new Error('the yaml package has no parse function');
  return parse;
}
