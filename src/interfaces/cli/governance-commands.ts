import type { Command } from 'commander';
import type { CommandResult } from '../../app/handoffs.ts';
import type { HandoffMetrics } from '../../domain/metrics/index.ts';
import type { Io } from './output.ts';
import type { CliContext } from './workflow-commands.ts';

const pct = (r: { rate: number | null; passed: number; of: number }) =>
  r.rate === null ? 'no reviews' : `${(r.rate * 100).toFixed(1)}% (${r.passed} of ${r.of})`;
const hours = (h: number | null) => (h === null ? '-' : `${h.toFixed(2)} h`);

function printMetrics(io: Io, m: HandoffMetrics): void {
  const t = m.timeToAcknowledge;
  io.out(`${m.period.label}  ${m.period.from} to ${m.period.to} (${m.period.timeZone}), as of ${m.asOf}\n`);
  io.out(
    `handoffs: ${m.handoffs.active.length} active, ${m.handoffs.opened} opened, ${m.handoffs.submitted} first submitted, ${m.handoffs.acknowledged} acknowledged, ${m.handoffs.scheduled} scheduled\n`,
  );
  io.out(`submissions: ${m.submissions.total} (${m.submissions.resubmissions} resubmissions)\n`);
  io.out(`first-pass pass rate: ${pct(m.passRate.firstPass)}\n`);
  io.out(`overall pass rate:    ${pct(m.passRate.overall)}\n`);
  io.out(
    `remediation: ${m.remediation.perHandoff === null ? 'no reviews' : `${m.remediation.perHandoff.toFixed(2)} rejections per handoff (${m.remediation.rejections} in ${m.remediation.handoffsReviewed})`}\n`,
  );
  io.out(
    `time to acknowledge (${t.count}): median ${hours(t.wallClockHours.median)} wall clock, ${hours(t.businessHours.median)} business; p90 ${hours(t.wallClockHours.p90)} wall clock, ${hours(t.businessHours.p90)} business\n`,
  );
  io.out('clocks (met / missed):\n');
  for (const c of m.clocks) io.out(`  ${c.clock.padEnd(24)} ${c.met} / ${c.missed}\n`);
  io.out(
    `escalations: ${m.escalations.total}${m.escalations.byKind.map((k) => `  ${k.kind} ${k.count}`).join('')}\n`,
  );
  io.out(
    `incidents: ${m.incidents.total}${m.incidents.byKind.map((k) => `  ${k.severity} ${k.kind} ${k.count}`).join('')}\n`,
  );
  io.out(
    `checks that fail most: ${m.failingChecks.length === 0 ? 'none' : m.failingChecks.map((c) => `${c.check} ${c.failures}`).join(', ')}\n`,
  );
}

function printResults(io: Io, results: CommandResult[], json: boolean): void {
  if (json) {
    io.out(
      `${JSON.stringify(results.map((r) => ({ sow: r.sow, state: r.state.state, version: r.state.version, events: r.events })))}\n`,
    );
    return;
  }
  for (const r of results) {
    if (r.events.length === 0) io.out(`${r.sow}: nothing to record\n`);
    for (const e of r.events) io.out(`${r.sow} v${e.version} ${e.type}\n`);
  }
}

const asOption = ['--as <role[:name]>', 'who is acting: ROLE[:NAME] (default $BATON_ACTOR)'] as const;

/** Governance (SOP Sections 7-9): metrics, the weekly summary, SOP Delta drafts, retention and legal hold. */
export function registerGovernanceCommands(cli: Command, ctx: CliContext): void {
  const { io } = ctx;
  const governance = () => import('../../app/governance.ts');

  cli
    .command('metrics')
    .description(
      "the Chief of Staff's handoff quality metrics for an ISO week (default: this week, company time zone) or a range of dates",
    )
    .option('--week <week>', 'an ISO week, e.g. 2026-W20')
    .option('--from <date>', 'first day of a range (YYYY-MM-DD), with --to')
    .option('--to <date>', 'last day of the range, included')
    .option('--json', 'print one JSON object')
    .action(async (o: { week?: string; from?: string; to?: string }, cmd: Command) => {
      await ctx.withBaton(cmd, async (baton, json) => {
        const m = await (await governance()).governanceMetrics(baton, o);
        if (json) io.out(`${JSON.stringify(m)}\n`);
        else printMetrics(io, m);
      });
    });

  cli
    .command('weekly-summary')
    .description(
      'write the CEO Weekly Summary section (markdown) and its chart (SVG) for a week, when assessment deals were active',
    )
    .option('--week <week>', 'an ISO week, e.g. 2026-W20 (default: this week)')
    .option(
      '--out <dir>',
      'folder under the root for the two files (default: the playbook paths.weeklySummaries)',
    )
    .option('--post', 'also queue the figures as a Slack message (sent by the outbox)')
    .option('--channel <channel>', 'the Slack channel for --post (default: the Slack integration default)')
    .option('--json', 'print one JSON object')
    .action(async (o: { week?: string; out?: string; post?: boolean; channel?: string }, cmd: Command) => {
      await ctx.withBaton(cmd, async (baton, json) => {
        const r = await (await governance()).weeklySummary(baton, o);
        if (json) {
          io.out(`${JSON.stringify(r)}\n`);
          return;
        }
        if (!r.written) io.out(`${r.reason}\n`);
        else {
          io.out(`wrote ${r.files?.markdown}\nwrote ${r.files?.chart}\n`);
          if (r.posted)
            io.out(r.posted === 'queued' ? 'queued for Slack\n' : `${r.week} was already queued for Slack\n`);
        }
      });
    });

  cli
    .command('deltas')
    .description(
      'look for patterns across recent handoffs (a check failing, a clock missed) and draft SOP Delta proposals for review; lists every draft',
    )
    .option('--json', 'print one JSON object')
    .action(async (_o, cmd: Command) => {
      await ctx.withBaton(cmd, async (baton, json) => {
        const { draftSopDeltas } = await import('../../app/sop-deltas.ts');
        const run = await draftSopDeltas(baton, 'baton deltas');
        if (json) {
          io.out(`${JSON.stringify(run)}\n`);
          return;
        }
        for (const d of run.drafted) io.out(`drafted ${d.path}: ${d.title} (${d.handoffs.join(', ')})\n`);
        if (run.patterns.length === 0) io.out('no pattern reaches its threshold in the recent handoffs\n');
        for (const p of run.patterns)
          io.out(`pattern: ${p.pattern} ${p.subject} in ${p.handoffs.length} of the last ${p.of} handoffs\n`);
        io.out(`${run.all.length} proposal${run.all.length === 1 ? '' : 's'} drafted so far\n`);
        for (const d of run.all) io.out(`  ${d.id}  ${d.path}\n`);
      });
    });

  cli
    .command('relationship-ended')
    .description(
      "record the end of a customer relationship (a SOW, or a company as its packets name it: all its handoffs); retention runs to the date plus the playbook's years",
    )
    .argument('<company-or-sow>', 'SOW-YYYY-NNN or the company name')
    .requiredOption('--date <date>', 'the day the relationship ended (YYYY-MM-DD)')
    .option(...asOption)
    .option('--json', 'print a JSON array of the handoffs recorded')
    .action(async (target: string, o: { date: string }, cmd: Command) => {
      const actor = await ctx.actorOf(cmd);
      await ctx.withBaton(cmd, async (baton, json) => {
        const r = await (await governance()).recordRelationshipEnded(baton, actor, target, o.date);
        if (!json && r.company) io.out(`${r.company}: ${r.handoffs.length} handoff(s)\n`);
        printResults(io, r.handoffs, json);
      });
    });

  cli
    .command('hold')
    .description('set a legal hold on a handoff: nothing of it is purged until released (chief.staff, ceo)')
    .argument('<sow>', 'SOW-YYYY-NNN')
    .requiredOption('--reason <text>', 'why the archive must be kept')
    .option(...asOption)
    .option('--json', 'print a JSON array')
    .action(async (sow: string, o: { reason: string }, cmd: Command) => {
      const actor = await ctx.actorOf(cmd);
      await ctx.withBaton(cmd, async (baton, json) => {
        printResults(io, [await (await governance()).setLegalHold(baton, actor, sow, o.reason)], json);
      });
    });

  cli
    .command('release')
    .description('lift the legal hold of a handoff (chief.staff, ceo)')
    .argument('<sow>', 'SOW-YYYY-NNN')
    .option('--reason <text>', 'why the hold ends')
    .option(...asOption)
    .option('--json', 'print a JSON array')
    .action(async (sow: string, o: { reason?: string }, cmd: Command) => {
      const actor = await ctx.actorOf(cmd);
      await ctx.withBaton(cmd, async (baton, json) => {
        printResults(io, [await (await governance()).releaseLegalHold(baton, actor, sow, o.reason)], json);
      });
    });

  cli
    .command('purge')
    .description(
      'remove the archived files and personal data of handoffs past retention and not on legal hold, recording each (chief.staff, ceo)',
    )
    .option('--dry-run', 'only say what would be purged')
    .option(...asOption)
    .option('--json', 'print one JSON object (no progress)')
    .action(async (o: { dryRun?: boolean }, cmd: Command) => {
      const actor = await ctx.actorOf(cmd);
      await ctx.withBaton(cmd, async (baton, json) => {
        const progress =
          !json && io.isTty
            ? (done: number, total: number, sow: string) => io.err(`\rpurging ${done}/${total} ${sow}   `)
            : undefined;
        const r = await (await governance()).purgeArchives(baton, actor, {
          ...(o.dryRun ? { dryRun: true } : {}),
          ...(progress ? { progress } : {}),
        });
        if (progress) io.err('\n');
        if (json) {
          io.out(`${JSON.stringify(r)}\n`);
          return;
        }
        io.out(
          `${r.dryRun ? 'dry run: ' : ''}retention is the end of the relationship + ${r.yearsAfterRelationshipEnds} years; today ${r.today}\n`,
        );
        for (const h of r.handoffs) {
          const detail =
            h.status === 'on-hold'
              ? `on legal hold since ${h.hold.setAt}: ${h.hold.reason}`
              : h.status === 'retained'
                ? `kept until ${h.retainedUntil}`
                : h.status === 'due'
                  ? `past retention (ended ${h.relationshipEndedOn}, kept until ${h.retainedUntil})`
                  : h.status === 'purged'
                    ? `purged ${h.purgedAt}`
                    : 'relationship not ended';
          const act = r.dryRun
            ? h.action === 'keep'
              ? 'keep'
              : `would remove ${h.files.length} file(s)${h.action === 'purge' ? ' and purge personal data' : ''}`
            : h.action === 'purged'
              ? `purged, ${h.files.length} file(s) removed`
              : h.action === 'files-removed'
                ? `${h.files.length} leftover file(s) removed`
                : 'kept';
          io.out(`${h.sow.padEnd(14)} ${act.padEnd(44)} ${detail}\n`);
        }
        if (!r.dryRun) io.out(`purged ${r.purged.length} handoff(s), removed ${r.filesRemoved} file(s)\n`);
      });
    });
}
