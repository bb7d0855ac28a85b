import type { Command } from 'commander';
import type { StatusView, SweepDigest } from '../../app/handoff-queries.ts';
import type { Io } from './output.ts';
import type { CliContext } from './workflow-commands.ts';

function printStatus(io: Io, s: StatusView): void {
  io.out(`${s.sow}  ${s.state}  (version ${s.version})\n`);
  io.out(
    `payment: ${s.payment?.status ?? 'unknown'}${s.payment?.confirmedAt ? ` since ${s.payment.confirmedAt}` : ''}\n`,
  );
  io.out(`submissions: ${s.submissions.length}, rejections: ${s.rejections.length}\n`);
  if (s.acknowledgement) io.out(`acknowledged by ${s.acknowledgement.by.name} at ${s.acknowledgement.at}\n`);
  if (s.discovery) io.out(`discovery session: ${s.discovery.at}\n`);
  io.out('clocks:\n');
  for (const c of s.clocks)
    io.out(
      `  ${c.name.padEnd(22)} due ${c.due}  ${c.status}${c.metAt ? ` at ${c.metAt}` : ''}${c.late ? ' (late)' : ''}${c.overdue ? ' OVERDUE' : ''}${c.businessHoursLeft !== null ? `  ${c.businessHoursLeft.toFixed(1)} business h left` : ''}\n`,
    );
  for (const e of s.escalations)
    io.out(
      `escalation ${e.id} ${e.kind} ${e.status}, owners ${e.owners.join(' + ')}${e.due ? `, due ${e.due}` : ''}\n`,
    );
  for (const i of s.incidents) io.out(`incident ${i.id} ${i.severity} ${i.status}: ${i.path}\n`);
  for (const w of s.warnings) io.out(`warning: ${w}\n`);
  io.out(`packet: ${s.files.packet}\nreport: ${s.files.report}\n`);
  if (s.allowed) io.out(`you may: ${s.allowed.join(', ') || 'nothing now'}\n`);
}

function printDigest(io: Io, d: SweepDigest): void {
  io.out(`sweep at ${d.at}: ${d.recorded.length} new record${d.recorded.length === 1 ? '' : 's'}\n`);
  for (const r of d.recorded) io.out(`  recorded ${r.sow} ${r.type} ${r.detail}\n`);
  io.out(`due today (${d.dueToday.length}):\n`);
  for (const c of d.dueToday) io.out(`  ${c.sow} ${c.clock} due ${c.due}\n`);
  io.out(`overdue (${d.overdue.length}):\n`);
  for (const c of d.overdue) io.out(`  ${c.sow} ${c.clock} was due ${c.due}\n`);
  io.out(`escalations open (${d.escalationsOpen.length}):\n`);
  for (const e of d.escalationsOpen) io.out(`  ${e.id} ${e.kind}${e.overdue ? ' OVERDUE' : ''}\n`);
  io.out(`incidents open (${d.incidentsOpen.length}):\n`);
  for (const i of d.incidentsOpen) io.out(`  ${i.id} ${i.severity} ${i.path}\n`);
}

/** Queries and maintenance: status, list, history, sweep, verify, rebuild, db migrate. */
export function registerQueryCommands(cli: Command, ctx: CliContext): void {
  const { io } = ctx;
  const queries = () => import('../../app/handoff-queries.ts');
  cli
    .command('status')
    .description("one handoff's state, deadlines, clocks, escalations, incidents and files")
    .argument('<sow>', 'SOW-YYYY-NNN')
    .option('--as <role[:name]>', 'also list what this actor may do now')
    .option('--json', 'print one JSON object')
    .action(async (sow: string, o: { as?: string }, cmd: Command) => {
      const actor = o.as || process.env.BATON_ACTOR ? await ctx.actorOf(cmd) : undefined;
      await ctx.withBaton(cmd, async (baton, json) => {
        const view = await (await queries()).handoffStatus(baton, sow, actor);
        if (json) io.out(`${JSON.stringify(view)}\n`);
        else printStatus(io, view);
      });
    });
  cli
    .command('list')
    .description('handoffs, soonest deadline first')
    .option('--state <state>', 'opened, submitted, rejected, acknowledged or scheduled')
    .option('--overdue', 'only handoffs with a clock past due')
    .option('--owner <role>', 'only handoffs with an open escalation this role owns')
    .option('--json', 'print a JSON array')
    .action(async (o: { state?: string; overdue?: boolean; owner?: string }, cmd: Command) => {
      await ctx.withBaton(cmd, async (baton, json) => {
        const rows = await (await queries()).listHandoffs(baton, {
          ...(o.state ? { state: o.state } : {}),
          ...(o.overdue ? { overdue: true } : {}),
          ...(o.owner ? { owner: o.owner } : {}),
        });
        if (json) io.out(`${JSON.stringify(rows)}\n`);
        else {
          if (rows.length === 0) io.out('no handoffs\n');
          for (const r of rows)
            io.out(
              `${r.sow.padEnd(14)} ${r.state.padEnd(13)} next due ${r.nextDue ?? '-'}${r.overdue ? '  OVERDUE' : ''}${r.escalated ? '  ESCALATED' : ''}\n`,
            );
        }
      });
    });
  cli
    .command('history')
    .description("a handoff's events: who did what, when, through which interface")
    .argument('<sow>', 'SOW-YYYY-NNN')
    .option('--json', 'print a JSON array')
    .action(async (sow: string, _o, cmd: Command) => {
      await ctx.withBaton(cmd, async (baton, json) => {
        const events = await (await queries()).handoffHistory(baton, sow);
        if (json) io.out(`${JSON.stringify(events)}\n`);
        else
          for (const e of events)
            io.out(
              `v${e.version} ${e.at} ${e.type.padEnd(20)} ${e.actor.name} (${e.actor.role}${e.actor.onBehalfOf ? ` for the ${e.actor.onBehalfOf}` : ''}, ${e.actor.via})\n`,
            );
      });
    });
  cli
    .command('sweep')
    .description(
      "the Chief of Staff's daily sweep: record missed clocks once, raise what they imply, print a digest",
    )
    .option('--as <role[:name]>', 'who runs it (default: the system)')
    .option('--json', 'print one JSON object')
    .action(async (o: { as?: string }, cmd: Command) => {
      const actor =
        o.as || process.env.BATON_ACTOR
          ? await ctx.actorOf(cmd)
          : ({ role: 'system', name: 'baton', via: 'cli' } as const);
      await ctx.withBaton(cmd, async (baton, json) => {
        const digest = await (await queries()).sweep(baton, actor);
        if (json) io.out(`${JSON.stringify(digest)}\n`);
        else printDigest(io, digest);
      });
    });
  cli
    .command('verify')
    .description('re-check the hash chain of every event and that the projections match the log')
    .option('--json', 'print one JSON object')
    .action(async (_o, cmd: Command) => {
      await ctx.withBaton(cmd, async (baton, json) => {
        const result = await (await queries()).verifyStore(baton);
        if (json) io.out(`${JSON.stringify(result)}\n`);
        else
          io.out(
            result.ok
              ? `ok: ${result.events} events in ${result.handoffs} handoffs, chain and projections intact\n`
              : `BROKEN: ${result.problem}\n`,
          );
        ctx.setExit(result.ok ? 0 : 1);
      });
    });
  cli
    .command('rebuild')
    .description('rebuild every projection from the event log')
    .option('--json', 'print one JSON object')
    .action(async (_o, cmd: Command) => {
      await ctx.withBaton(cmd, async (baton, json) => {
        const progress =
          !json && io.isTty
            ? (done: number, total: number) => io.err(`\rrebuilding ${done}/${total}`)
            : undefined;
        const result = await (await queries()).rebuildProjections(baton, progress);
        if (progress) io.err('\n');
        io.out(
          json
            ? `${JSON.stringify(result)}\n`
            : `rebuilt ${result.handoffs} handoffs from ${result.events} events\n`,
        );
      });
    });
  cli
    .command('db')
    .description('the store')
    .command('migrate')
    .description('apply pending migrations (they also run on start)')
    .option('--json', 'print one JSON object')
    .action(async (_o, cmd: Command) => {
      await ctx.withBaton(cmd, async (baton, json) => {
        const result = await (await queries()).migrateStore(baton);
        io.out(
          json
            ? `${JSON.stringify({ ...result, location: baton.store.location })}\n`
            : `${baton.store.dialect} at ${baton.store.location}: ${result.applied.length ? `applied ${result.applied.join(', ')}` : 'up to date'}\n`,
        );
      });
    });
}
