import type { Command } from 'commander';
import type { Baton } from '../../app/handoff-context.ts';
import type { CommandResult } from '../../app/handoffs.ts';
import type { ActorRef } from '../../domain/workflow/index.ts';
import type { Io } from './output.ts';

export interface CliContext {
  io: Io;
  setExit: (code: number) => void;
  /** Opens the service layer for a command (store, playbook, clock), closed by the caller. */
  withBaton: <T>(cmd: Command, run: (baton: Baton, json: boolean) => Promise<T>) => Promise<T>;
  actorOf: (cmd: Command) => Promise<ActorRef>;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function printResult(io: Io, result: CommandResult, json: boolean, extra: string[] = []): void {
  if (json) {
    io.out(
      `${JSON.stringify({ sow: result.sow, state: result.state.state, version: result.state.version, events: result.events, warnings: result.state.warnings })}\n`,
    );
    return;
  }
  if (result.events.length === 0) io.out(`${result.sow}: nothing to record\n`);
  for (const e of result.events) io.out(`${result.sow} v${e.version} ${e.type}${describe(e.data)}\n`);
  for (const line of extra) io.out(`${line}\n`);
}

function describe(data: Record<string, unknown>): string {
  if (typeof data.clock === 'string' && typeof data.due === 'string')
    return `: ${data.clock} due ${data.due}`;
  if (typeof data.kind === 'string' && typeof data.id === 'string') return `: ${data.id} (${data.kind})`;
  if (typeof data.id === 'string') return `: ${data.id}`;
  if (data.gate && typeof data.gate === 'object')
    return `: gate ${(data.gate as { verdict: string }).verdict}`;
  if (Array.isArray(data.checks)) return `: ${(data.checks as string[]).join(', ')}`;
  return '';
}

const asOption = ['--as <role[:name]>', 'who is acting: ROLE[:NAME] (default $BATON_ACTOR)'] as const;

/** The workflow's commands (handoff-rules.md, Lifecycle), each a thin shell over the service layer. */
export function registerWorkflowCommands(cli: Command, ctx: CliContext): void {
  const { io } = ctx;
  const act = (
    name: string,
    description: string,
    configure: (c: Command) => Command,
    run: (
      baton: Baton,
      actor: ActorRef,
      args: unknown[],
      opts: Record<string, unknown>,
    ) => Promise<CommandResult>,
  ) => {
    const command = configure(cli.command(name).description(description))
      .option(...asOption)
      .option('--json', 'print one JSON object');
    command.action(async (...args: unknown[]) => {
      const cmd = args.at(-1) as Command;
      const opts = cmd.opts<Record<string, unknown>>();
      const actor = await ctx.actorOf(cmd);
      await ctx.withBaton(cmd, async (baton, json) => {
        const result = await run(baton, actor, args.slice(0, -2), opts);
        printResult(io, result, json);
      });
    });
  };
  const service = () => import('../../app/handoffs.ts');

  act(
    'open',
    'open the handoff of a sold, signed (and paid) assessment',
    (c) =>
      c
        .argument('<sow>', 'SOW-YYYY-NNN')
        .requiredOption('--sow-signed <date>', 'the date the SOW was executed (YYYY-MM-DD)')
        .option('--payment-confirmed <instant>', 'when payment was confirmed (ISO instant with offset)')
        .option('--payment-status <status>', 'received, processing or pending', 'received')
        .option('--sold <date>', 'the date of the verbal commitment'),
    async (baton, actor, [sow], o) =>
      (await service()).openHandoff(baton, actor, {
        sow: sow as string,
        sowSigned: o.sowSigned as string,
        ...(o.paymentConfirmed ? { paymentConfirmed: o.paymentConfirmed as string } : {}),
        paymentStatus: o.paymentStatus as string,
        ...(o.sold ? { sold: o.sold as string } : {}),
      }),
  );
  act(
    'payment',
    'record a payment confirmation (or status change) for a handoff',
    (c) =>
      c
        .argument('<sow>', 'SOW-YYYY-NNN')
        .option('--payment-confirmed <instant>', 'when payment was confirmed (ISO instant with offset)')
        .option('--payment-status <status>', 'received, processing or pending', 'received'),
    async (baton, actor, [sow], o) =>
      (await service()).recordPayment(baton, actor, sow as string, {
        status: o.paymentStatus as string,
        ...(o.paymentConfirmed ? { confirmedAt: o.paymentConfirmed as string } : {}),
      }),
  );
  act(
    'submit',
    'submit the packet at the SOP path: freeze it, run the gate, write the 6C report',
    (c) =>
      c.argument('<sow>', 'SOW-YYYY-NNN').option('--file <path>', 'copy this file to the SOP path first'),
    async (baton, actor, [sow], o) => {
      const { resolve } = await import('node:path');
      return (await service()).submitPacket(
        baton,
        actor,
        sow as string,
        o.file ? { file: resolve(o.file as string) } : {},
      );
    },
  );
  act(
    'attest',
    'attest a check the gate marked review (customer.success)',
    (c) =>
      c.argument('<sow>', 'SOW-YYYY-NNN').argument('<check=reason>', 'the check and why it is acceptable'),
    async (baton, actor, [sow, text]) => {
      const s = await service();
      return s.attestReview(baton, actor, sow as string, s.readAttestation(text as string));
    },
  );
  act(
    'ack',
    'acknowledge the submitted packet: reruns the gate on the frozen version, signs Acknowledged By',
    (c) =>
      c
        .argument('<sow>', 'SOW-YYYY-NNN')
        .option('--attest <check=reason>', 'attest a review check (repeatable)', collect, []),
    async (baton, actor, [sow], o) => {
      const s = await service();
      return s.acknowledgePacket(baton, actor, sow as string, (o.attest as string[]).map(s.readAttestation));
    },
  );
  act(
    'reject',
    "reject the submitted packet, naming the failed checks (default: the gate's)",
    (c) =>
      c
        .argument('<sow>', 'SOW-YYYY-NNN')
        .option('--check <id>', 'a failed check (repeatable)', collect, [])
        .option('--reason <text>', 'what the seller must fix'),
    async (baton, actor, [sow], o) =>
      (await service()).rejectPacket(baton, actor, sow as string, {
        checks: o.check as string[],
        ...(o.reason ? { reason: o.reason as string } : {}),
      }),
  );
  act(
    'schedule',
    'record the booked discovery session (after acknowledgement)',
    (c) =>
      c
        .argument('<sow>', 'SOW-YYYY-NNN')
        .requiredOption('--discovery <instant>', 'the session, ISO instant with offset'),
    async (baton, actor, [sow], o) =>
      (await service()).scheduleDiscovery(baton, actor, sow as string, o.discovery as string),
  );
  act(
    'intro',
    "send the CRO's warm introduction of customer.success to the champion and scheduling contact",
    (c) => c.argument('<sow>', 'SOW-YYYY-NNN'),
    async (baton, actor, [sow]) => (await service()).sendIntroduction(baton, actor, sow as string),
  );
  act(
    'approve-deviation',
    "approve the handoff's scope deviation (ceo only)",
    (c) => c.argument('<sow>', 'SOW-YYYY-NNN').requiredOption('--note <text>', 'what is approved and why'),
    async (baton, actor, [sow], o) =>
      (await service()).approveDeviation(baton, actor, sow as string, o.note as string),
  );
  act(
    'flag',
    'flag a quality concern on a handoff (chief.staff)',
    (c) => c.argument('<sow>', 'SOW-YYYY-NNN').requiredOption('--note <text>', 'the concern'),
    async (baton, actor, [sow], o) =>
      (await service()).flagHandoff(baton, actor, sow as string, o.note as string),
  );
  act(
    'resolve',
    'resolve an escalation (its owners, or the Chief of Staff)',
    (c) =>
      c
        .argument('<escalation-id>', 'ESC-SOW-YYYY-NNN-N')
        .requiredOption('--note <text>', 'how it was resolved'),
    async (baton, actor, [id], o) =>
      (await service()).resolveEscalation(baton, actor, id as string, o.note as string),
  );
}
