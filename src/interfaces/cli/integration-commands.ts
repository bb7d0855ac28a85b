import type { Command } from 'commander';
import type { DoctorReport } from '../../app/doctor.ts';
import type { DeliveryCounts } from '../../app/outbox-dispatcher.ts';
import type { Io } from './output.ts';
import type { CliContext } from './workflow-commands.ts';

function countsLine(c: DeliveryCounts): string {
  return `${c.delivered} delivered, ${c.failed} to retry, ${c.dead} given up${c.lost ? `, ${c.lost} taken over by another dispatcher` : ''}`;
}

function printDoctor(io: Io, report: DoctorReport): void {
  const mark = {
    ok: 'ok     ',
    warning: 'warning',
    problem: 'PROBLEM',
    'not configured': 'off    ',
  } as const;
  for (const c of report.checks) io.out(`${mark[c.status]}  ${c.integration.padEnd(8)} ${c.message}\n`);
  io.out(report.ok ? 'no problems found\n' : 'problems found: fix the lines marked PROBLEM\n');
}

/** Delivery and the integrations: dispatch, outbox, doctor, notifications. */
export function registerIntegrationCommands(cli: Command, ctx: CliContext): void {
  const { io } = ctx;
  const dispatcher = () => import('../../app/outbox-dispatcher.ts');
  const admin = () => import('../../app/outbox-admin.ts');

  cli
    .command('dispatch')
    .description('deliver the outbox (Slack, monday.com, email, files) until stopped, retrying with backoff')
    .option('--once', 'deliver what is due now, then exit')
    .option('--json', 'print the totals as one JSON object, nothing else')
    .action(async (o: { once?: boolean }, cmd: Command) => {
      await ctx.withBaton(cmd, async (baton, json) => {
        const { deliverEffects, runDispatcher } = await dispatcher();
        const trace = json
          ? undefined
          : (mark: string, effect: { id: string; kind: string }, detail?: string) => {
              if (mark === 'recorded') io.err(`delivered ${effect.kind} ${effect.id}\n`);
              else if (mark === 'retry') io.err(`will retry ${effect.kind} ${effect.id}: ${detail}\n`);
              else if (mark === 'dead') io.err(`gave up ${effect.kind} ${effect.id}: ${detail}\n`);
            };
        let totals: DeliveryCounts;
        if (o.once) totals = await deliverEffects(baton, trace ? { trace } : {});
        else {
          const controller = new AbortController();
          const stop = () => controller.abort();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          if (!json) io.err('dispatching; Ctrl-C stops\n');
          try {
            totals = await runDispatcher(baton, {
              signal: controller.signal,
              ...(trace ? { trace } : {}),
              onError: (e) =>
                io.err(`baton dispatch: ${e instanceof Error ? e.message : String(e)}; trying again\n`),
            });
          } finally {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
          }
        }
        io.out(json ? `${JSON.stringify(totals)}\n` : `${countsLine(totals)}\n`);
      });
    });

  cli
    .command('outbox')
    .description('effects waiting for delivery and the ones given up (the dead-letter list)')
    .option('--failed', 'only the effects given up')
    .option('--retry <id>', 'put a given-up effect back in line, due now')
    .option('--json', 'print JSON')
    .action(async (o: { failed?: boolean; retry?: string }, cmd: Command) => {
      await ctx.withBaton(cmd, async (baton, json) => {
        const { outboxRows, retryDeadEffect } = await admin();
        if (o.retry) {
          const effect = await retryDeadEffect(baton, o.retry);
          io.out(
            json
              ? `${JSON.stringify(effect)}\n`
              : `${effect.id} is back in line (after ${effect.attempts} tries); baton dispatch delivers it\n`,
          );
          return;
        }
        const rows = await outboxRows(baton, o.failed ? { failed: true } : {});
        if (json) {
          io.out(`${JSON.stringify(rows)}\n`);
          return;
        }
        if (rows.length === 0) io.out(o.failed ? 'nothing given up\n' : 'the outbox is empty\n');
        for (const r of rows) {
          const when = r.status === 'dead' ? 'GAVE UP' : `next try ${r.nextAttemptAt}`;
          io.out(
            `${r.id}  ${r.kind}  ${when}  tries ${r.attempts}${r.lastError ? `  last error: ${r.lastError}` : ''}\n`,
          );
        }
      });
    });

  cli
    .command('notifications')
    .description(
      'the notification log: what Slack, monday.com and email would have received when not configured',
    )
    .option('--sow <sow>', 'only this handoff')
    .option('--limit <n>', 'at most this many, newest first', '50')
    .option('--json', 'print a JSON array')
    .action(async (o: { sow?: string; limit: string }, cmd: Command) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) {
        const { AppError } = await import('../../app/errors.ts');
        throw new AppError('bad-input', `--limit: "${o.limit}" is not a whole number of 1 or more`, 'limit');
      }
      await ctx.withBaton(cmd, async (baton, json) => {
        const entries = await (await admin()).notificationLog(baton, {
          limit,
          ...(o.sow ? { sow: o.sow } : {}),
        });
        if (json) {
          io.out(`${JSON.stringify(entries)}\n`);
          return;
        }
        if (entries.length === 0) io.out('the notification log is empty\n');
        for (const n of entries) {
          io.out(`${n.createdAt}  ${n.stream}  ${n.integration.padEnd(6)}  ${n.summary}\n`);
          const text = typeof n.payload.text === 'string' ? n.payload.text : undefined;
          if (text) for (const line of text.split('\n')) io.out(`    ${line}\n`);
        }
      });
    });

  cli
    .command('doctor')
    .description('check the integration settings and each configured integration (never prints a secret)')
    .option('--json', 'print one JSON object')
    .action(async (_o, cmd: Command) => {
      const { root, json } = cmd.optsWithGlobals<{ root?: string; json?: boolean }>();
      const { runDoctor } = await import('../../app/doctor.ts');
      const report = await runDoctor({
        vars: process.env,
        root: root ?? process.env.BATON_ROOT ?? process.cwd(),
        cwd: process.cwd(),
      });
      if (json) io.out(`${JSON.stringify(report)}\n`);
      else printDoctor(io, report);
      ctx.setExit(report.ok ? 0 : 1);
    });
}
