import { environmentFrom } from '../../app/environment.ts';

/** The options every command takes from the command line (global or its own). */
export interface CommandOptions {
  root?: string;
  playbook?: string;
  json?: boolean;
}

/** The environment and the playbook a command runs with: the options, else BATON_* variables. */
export async function commandContext(opts: CommandOptions) {
  const env = environmentFrom(process.env, {
    cwd: process.cwd(),
    ...(opts.root ? { root: opts.root } : {}),
    ...(opts.playbook ? { playbook: opts.playbook } : {}),
  });
  const { loadPlaybook } = await import('../../app/playbook-source.ts');
  return { env, playbook: await loadPlaybook(env.playbookFile), json: !!opts.json };
}
