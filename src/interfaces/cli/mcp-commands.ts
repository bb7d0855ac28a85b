import type { Command } from 'commander';
import type { CliContext } from './workflow-commands.ts';

/** `baton mcp`: the MCP server over stdio, for an AI agent acting as one baton user. */
export function registerMcpCommands(cli: Command, ctx: CliContext): void {
  cli
    .command('mcp')
    .description(
      'serve the Model Context Protocol on stdin/stdout for an AI agent acting as one baton user (ROLE[:NAME] from --as or $BATON_ACTOR); logs go to stderr',
    )
    .option('--as <role[:name]>', 'who the agent acts as: ROLE[:NAME] (default $BATON_ACTOR)')
    .action(async (o: { as?: string }, cmd: Command) => {
      // Read before the store opens: a bad actor fails fast, with nothing written to stdout.
      const { parseActor } = await import('../../app/actor.ts');
      const actor = parseActor(o.as ?? process.env.BATON_ACTOR, 'mcp');
      await ctx.withBaton(cmd, async (baton) => {
        const { createMcpServer } = await import('../mcp/server.ts');
        const { serveStdio } = await import('../mcp/stdio.ts');
        await serveStdio(createMcpServer(baton, actor));
      });
    });
}
