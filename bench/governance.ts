// Governance metrics over a large log, in process: the figures of one week and of the weekly summary's
// 8-week series, for a synthetic history of handoffs (about 15 events each), against a baseline measured
// beside them: replaying every handoff's events into its state (what `baton rebuild` does per handoff).
import { performance } from 'node:perf_hooks';
import { Temporal } from 'temporal-polyfill';
import { businessCalendar } from '../src/domain/calendar/index.ts';
import { gateCheckIds } from '../src/domain/gate/index.ts';
import {
  type HandoffHistory,
  metricsFor,
  metricsForPeriods,
  weekPeriod,
  weeksEndingWith,
} from '../src/domain/metrics/index.ts';
import { builtInPlaybook } from '../src/domain/playbook/index.ts';
import {
  type ActorRef,
  decide,
  type GateOutcome,
  type HandoffCommand,
  type HandoffEvent,
  replay,
} from '../src/domain/workflow/index.ts';

const playbook = builtInPlaybook();
const calendar = businessCalendar(playbook.calendar);
const cro: ActorRef = { role: 'cro', name: 'Carla', via: 'cli' };
const cs: ActorRef = { role: 'customer.success', name: 'Casey', via: 'cli' };

function gate(fail: number | null): GateOutcome {
  const checks = gateCheckIds.map((id, i) => ({
    id,
    title: id,
    status: i === fail ? ('fail' as const) : ('pass' as const),
    findings: i === fail ? [{ field: 'Field', line: 3, message: 'missing' }] : [],
  }));
  return { verdict: fail === null ? 'pass' : 'fail', checks };
}

/** Handoff i opens on a weekday of the 26 weeks from 2026-01-05, some rejected once or twice. */
export function syntheticHistories(count: number): HandoffHistory[] {
  const first = Temporal.PlainDate.from('2026-01-05');
  const out: HandoffHistory[] = [];
  for (let i = 0; i < count; i++) {
    const day = first.add({ days: (i % 130) + Math.floor((i % 130) / 5) * 2 });
    const sow = `SOW-2026-${String(1000 + i)}`;
    const at = (hour: number, plusDays = 0) =>
      day
        .add({ days: plusDays })
        .toZonedDateTime({ timeZone: 'America/New_York', plainTime: { hour } })
        .toInstant()
        .toString();
    const steps: [HandoffCommand, ActorRef, string][] = [
      [
        {
          type: 'open',
          sow,
          sowSignedOn: day.toString(),
          payment: { status: 'received', confirmedAt: at(9) },
        },
        cro,
        at(9),
      ],
    ];
    const rejections = i % 5 === 0 ? 2 : i % 3 === 0 ? 1 : 0;
    for (let r = 0; r < rejections; r++)
      steps.push(
        [
          {
            type: 'submit',
            packetPath: 'p.md',
            frozenPath: `f${r}.md`,
            sha256: 'a'.repeat(64),
            gate: gate(i % 8),
          },
          cro,
          at(10 + r * 2),
        ],
        [{ type: 'reject', checks: [] }, cs, at(11 + r * 2)],
      );
    steps.push(
      [
        { type: 'submit', packetPath: 'p.md', frozenPath: 'f.md', sha256: 'b'.repeat(64), gate: gate(null) },
        cro,
        at(15),
      ],
      [{ type: 'acknowledge', attestations: [], gate: gate(null) }, cs, at(10, 1)],
      [{ type: 'schedule', discoveryAt: at(14, 2) }, cs, at(11, 1)],
    );
    const events: HandoffEvent[] = [];
    for (const [command, actor, now] of steps)
      events.push(...decide(command, replay(events), { now, actor, playbook, calendar }));
    out.push({ sow, events });
  }
  return out;
}

function timeMs(work: () => void, repeat: number): number {
  work();
  const start = performance.now();
  for (let i = 0; i < repeat; i++) work();
  return (performance.now() - start) / repeat;
}

export interface GovernanceBench {
  handoffs: number;
  events: number;
  weekMetricsMs: number;
  eightWeekSeriesMs: number;
  replayAllMs: number;
  weekRatioToReplay: number;
  seriesRatioToReplay: number;
  /** The series shares one read of each history: against 8 separate computations. */
  seriesRatioToEightWeeks: number;
}

export async function benchGovernance({
  progress,
}: {
  progress: (text: string) => void;
}): Promise<GovernanceBench> {
  const count = 5000;
  progress(`governance metrics: building ${count.toLocaleString('en-US')} synthetic handoffs…`);
  const histories = syntheticHistories(count);
  const events = histories.reduce((n, h) => n + h.events.length, 0);
  const options = { playbook, calendar, now: '2026-08-01T12:00:00Z' };
  const zone = playbook.calendar.timeZone;
  progress('governance metrics: one week…');
  const week = weekPeriod('2026-W12', zone);
  const weekMetricsMs = timeMs(() => metricsFor(histories, week, options), 5);
  progress('governance metrics: the 8-week series…');
  const periods = weeksEndingWith('2026-W12', 8, zone);
  const eightWeekSeriesMs = timeMs(() => metricsForPeriods(histories, periods, options), 5);
  const eightSeparateMs = timeMs(() => {
    for (const p of periods) metricsFor(histories, p, options);
  }, 3);
  progress('governance metrics: the replay baseline…');
  const replayAllMs = timeMs(() => {
    for (const h of histories) replay(h.events);
  }, 5);
  return {
    handoffs: count,
    events,
    weekMetricsMs: Number(weekMetricsMs.toFixed(1)),
    eightWeekSeriesMs: Number(eightWeekSeriesMs.toFixed(1)),
    replayAllMs: Number(replayAllMs.toFixed(1)),
    weekRatioToReplay: Number((weekMetricsMs / replayAllMs).toFixed(2)),
    seriesRatioToReplay: Number((eightWeekSeriesMs / replayAllMs).toFixed(2)),
    seriesRatioToEightWeeks: Number((eightWeekSeriesMs / eightSeparateMs).toFixed(2)),
  };
}

export function printGovernanceBench(g: GovernanceBench, print: (line: string) => void): void {
  print(
    `governance        one week's metrics over ${g.handoffs.toLocaleString('en-US')} handoffs (${g.events.toLocaleString('en-US')} events): ${g.weekMetricsMs} ms, ${g.weekRatioToReplay}x replaying them all (${g.replayAllMs} ms)`,
  );
  print(
    `                  8-week series ${g.eightWeekSeriesMs} ms: ${g.seriesRatioToReplay}x the replay, ${g.seriesRatioToEightWeeks}x eight separate weeks`,
  );
}

// Run alone: node bench/governance.ts
if (import.meta.main) {
  const result = await benchGovernance({ progress: (t) => process.stderr.write(`${t}\n`) });
  printGovernanceBench(result, (line) => console.log(line));
}
