/**
 * `baton demo [--root DIR]`: seeds a demo knowledge root (default ./demo) once and says how to sign in.
 * `npm start` runs it before `baton serve --root demo`; a second run changes nothing and prints the same.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { DemoResult } from '../../app/demo.ts';
import type { CliContext } from './workflow-commands.ts';

const examplePacket = 'examples/northwind/operations/handoffs/assessments/SOW-2026-014-handoff-packet.md';
const exampleSow = 'examples/northwind/legal/sow/SOW-2026-014-executed.pdf';

/** The installed package's folder (this file runs from src/ or from the dist/ bundle). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, examplePacket))) return dir;
    const up = dirname(dir);
    if (up === dir)
      throw new Error(`cannot find the bundled example (${examplePacket}) above ${import.meta.url}`);
    dir = up;
  }
}

function signInHelp(result: DemoResult, root: string): string {
  const shown = relative(process.cwd(), root) || '.';
  const width = Math.max(...result.users.map((u) => u.name.length));
  const lines = [
    result.seeded
      ? `Seeded the demo root ${shown}: ${result.handoffs.length} handoffs, ${result.users.length} users.`
      : `The demo root ${shown} was seeded before; nothing changed.`,
    ...(result.seeded ? result.handoffs.map((h) => `  ${h.sow}  ${h.company}: ${h.story}`) : []),
    '',
    'Sign in to the dashboard with one of these API tokens (the role decides what you may do):',
    ...result.users.map((u) => `  ${u.role.padEnd(17)} ${u.name.padEnd(width)}  ${u.token}`),
    `(kept in ${join(shown, result.tokensFile)})`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}

export function registerDemoCommand(cli: Command, ctx: CliContext): void {
  cli
    .command('demo')
    .description(
      'seed a demo knowledge root (default ./demo) with a user per role and handoffs in every state; only once',
    )
    .option('--json', 'print one JSON object (the users with their tokens, the handoffs)')
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ root?: string; playbook?: string; json?: boolean }>();
      const root = resolve(opts.root ?? 'demo');
      const [{ environmentFrom }, { loadPlaybook }, { openBaton }, { seedDemo }] = await Promise.all([
        import('../../app/environment.ts'),
        import('../../app/playbook-source.ts'),
        import('../../app/open-baton.ts'),
        import('../../app/demo.ts'),
      ]);
      const env = environmentFrom(process.env, {
        cwd: process.cwd(),
        root,
        ...(opts.playbook ? { playbook: opts.playbook } : {}),
      });
      const baton = await openBaton({
        env,
        playbook: await loadPlaybook(env.playbookFile),
        ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
      });
      try {
        const pkg = packageRoot();
        const source = {
          packet: await readFile(join(pkg, examplePacket), 'utf8'),
          sowPdf: await readFile(join(pkg, exampleSow)),
        };
        const progress = (line: string) => {
          if (!opts.json && process.stderr.isTTY) ctx.io.err(`  seeded ${line}\n`);
        };
        const result = await seedDemo(baton, source, progress);
        ctx.io.out(opts.json ? `${JSON.stringify({ root, ...result })}\n` : signInHelp(result, root));
      } finally {
        await baton.store.close();
      }
    });
}
