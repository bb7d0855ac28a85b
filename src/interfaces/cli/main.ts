import { Command, CommanderError } from 'commander';
import type { Baton } from '../../app/handoff-context.ts';
import { type CommandOptions, commandContext } from './command-context.ts';
import { registerDemoCommand } from './demo-command.ts';
import { runGate } from './gate-command.ts';
import { registerGovernanceCommands } from './governance-commands.ts';
import { registerIntegrationCommands } from './integration-commands.ts';
import { registerMcpCommands } from './mcp-commands.ts';
import { type Io, processIo, reportError } from './output.ts';
import { registerQueryCommands } from './query-commands.ts';
import { registerServeCommands } from './serve-commands.ts';
import { registerWorkflowCommands } from './workflow-commands.ts';

function program(io: Io, setExit: (code: number) => void): Command {
  const cli = new Command('baton')
    .description(
      'Runs the sales-to-delivery handoff of the assessment SOP: packet, quality gate, business-day clocks.',
    )
    .option(
      '--root <dir>',
      "company knowledge root (the SOP's /Claude/); default $BATON_ROOT or the current directory",
    )
    .option(
      '--playbook <file>',
      'a company playbook (JSON or YAML); default $BATON_PLAYBOOK or the built-in one',
    )
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError('(run baton --help for usage)');

  const context = (cmd: Command) => commandContext(cmd.optsWithGlobals<CommandOptions>());

  cli
    .command('gate')
    .description('run the 8-check quality gate on a packet file')
    .argument('<file>', 'the handoff packet (markdown)')
    .option('--json', 'print one JSON object')
    .action(async (file: string, _o, cmd: Command) => {
      setExit(await runGate(io, file, cmd.optsWithGlobals<CommandOptions>()));
    });

  cli
    .command('new')
    .description('write an empty packet at the SOP path under the root (never overwrites)')
    .argument('<sow>', 'the SOW number, SOW-YYYY-NNN')
    .option('--json', 'print one JSON object')
    .action(async (sow: string, _o, cmd: Command) => {
      const { env, playbook, json } = await context(cmd);
      const { createPacketFile } = await import('../../app/new-packet.ts');
      const path = await createPacketFile(env.root, sow, playbook);
      io.out(
        json
          ? `${JSON.stringify({ sow, file: path })}\n`
          : `wrote ${path}\nfill it in, then run: baton gate ${path}\n`,
      );
    });

  const calendar = cli.command('calendar').description('business-day calendar');
  calendar
    .command('due')
    .description('the deadline N business days after an event: close of business, company time zone')
    .requiredOption(
      '--from <instant>',
      'the event, an ISO instant with offset (2026-07-02T15:00:00Z) or a date',
    )
    .requiredOption('--days <n>', 'business days (a whole number, 0 or more)')
    .option('--json', 'print one JSON object')
    .action(async (o: { from: string; days: string }, cmd: Command) => {
      const { playbook, json } = await context(cmd);
      const { dueDate } = await import('./calendar-due.ts');
      const due = dueDate(playbook, o.from, o.days);
      io.out(
        json
          ? `${JSON.stringify(due)}\n`
          : `${due.due}  (${due.weekday}, ${due.days} business day${due.days === 1 ? '' : 's'} after ${due.from}, ${due.timeZone})\n`,
      );
    });

  const withBaton = async <T>(cmd: Command, run: (baton: Baton, json: boolean) => Promise<T>): Promise<T> => {
    const { env, playbook, json } = await context(cmd);
    const { openBaton } = await import('../../app/open-baton.ts');
    const baton = await openBaton({
      env,
      playbook,
      ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
      // A Postgres schema of its own (several companies or test runs on one database).
      ...(process.env.BATON_PG_SCHEMA ? { schema: process.env.BATON_PG_SCHEMA } : {}),
    });
    try {
      return await run(baton, json);
    } finally {
      await baton.store.close();
    }
  };
  const actorOf = async (cmd: Command) => {
    const { parseActor } = await import('../../app/actor.ts');
    return parseActor(cmd.opts<{ as?: string }>().as ?? process.env.BATON_ACTOR, 'cli');
  };
  const cliContext = { io, setExit, withBaton, actorOf };
  registerWorkflowCommands(cli, cliContext);
  registerQueryCommands(cli, cliContext);
  registerGovernanceCommands(cli, cliContext);
  registerIntegrationCommands(cli, cliContext);
  registerMcpCommands(cli, cliContext);
  registerDemoCommand(cli, cliContext);
  registerServeCommands(cli, cliContext);

  const playbookCmd = cli.command('playbook').description('the playbook in force');
  playbookCmd
    .command('show')
    .description('print the playbook: sections, fields, vocabularies, clocks, calendar')
    .option('--json', 'print it as JSON')
    .action(async (_o, cmd: Command) => {
      const { playbook, json } = await context(cmd);
      if (json) io.out(`${JSON.stringify(playbook, null, 2)}\n`);
      else (await import('./playbook-show.ts')).printPlaybook(io, playbook);
    });
  return cli;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let exit = 0;
  const json = argv.includes('--json');
  const cli = program(io, (code) => {
    exit = code;
  });
  try {
    await cli.parseAsync(argv, { from: 'user' });
    return exit;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return 0;
      if (json)
        io.out(
          `${JSON.stringify({ error: { kind: 'bad-input', message: e.message.replace(/^error: /, '') } })}\n`,
        );
      return 2;
    }
    return reportError(io, e, json);
  }
}
