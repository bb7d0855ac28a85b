// A model-based property test of the workflow (fast-check commands): random sequences of commands by
// random actors (every role, a few people, the same person under several roles and interfaces) run against
// the real service layer and store. After each step the outcome must be what a small model of the
// lifecycle predicts (accepted, or refused by the named rule), and these invariants hold:
// - no acknowledgement, rejection or attestation by whoever opened or submitted the handoff, or by a cro;
// - no discovery scheduled before an acknowledgement;
// - every clock miss recorded once: a sweep records exactly the open clocks past due, and none stays open;
// - the stored projection equals a replay of the events, the chain verifies (verifyStore);
// - the files on the root agree with the record (frozen copies by hash, incident files where they belong).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { AppError } from '../../src/app/errors.ts';
import { sweep, verifyStore } from '../../src/app/handoff-queries.ts';
import {
  acknowledgePacket,
  approveDeviation,
  attestReview,
  flagHandoff,
  loadHandoff,
  openHandoff,
  recordPayment,
  rejectPacket,
  resolveEscalation,
  scheduleDiscovery,
  submitPacket,
} from '../../src/app/handoffs.ts';
import {
  type ActorRef,
  type ActorRole,
  type HandoffStateName,
  interfaces,
  roles,
} from '../../src/domain/workflow/index.ts';
import { readStream } from '../../src/store/index.ts';
import { createTestPlace, postgresEnabled, type TestDialect } from '../store/dialects.ts';
import {
  type Breakage,
  breakages,
  broken,
  createWorld,
  otherSows,
  packetFor,
  paid,
  SOW,
  signed,
  type World,
} from './app-fixture.ts';

const sows = [SOW, otherSows[0] as string];
/** The same people turn up under different roles (a submitter later acting as customer.success). */
const names = [
  'Alex Kim',
  ' alex  KIM ',
  'Blair Stone',
  'Casey Lin',
  'Drew Park',
  'Emery Cole',
  'Finley Ross',
];
const personKey = (name: string): string => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

type Variant = 'good' | Breakage;
const variants: Variant[] = ['good', ...(Object.keys(breakages) as Breakage[])];

// ---------------------------------------------------------------------------------------------------
// The model: what the lifecycle rules say, kept apart from the code under test.

interface ModelHandoff {
  state: HandoffStateName;
  paymentPending: boolean;
  /** Opener and submitters, by person. */
  sellers: Set<string>;
  /** The packet variant of the current submission, and whether its gate failed when submitted. */
  variant: Variant | null;
  failedAtSubmission: boolean;
  /** crm-item-exists (the example's one review) was attested on the current submission. */
  attested: boolean;
  /** A CEO approval is on record (the gate's scope check accepts a stated deviation from then on). */
  approved: boolean;
  /** An unapproved scope deviation is open: acknowledgement is blocked. */
  scopeOpen: boolean;
  rejections: number;
}

interface Model {
  now: Temporal.Instant;
  handoffs: Map<string, ModelHandoff>;
}

interface Real {
  world: World;
}

type Expected = { ok: true } | { refused: string } | { badInput: string };
const accepted: Expected = { ok: true };

/** Whether the gate fails this variant now (the scope check passes a stated deviation once the CEO approved). */
const gateFails = (variant: Variant, approved: boolean): boolean =>
  variant === 'good' ? false : variant === 'scope-deviation' ? !approved : true;

/** The review commands' guard: separation of duties first, then the role, then the handoff. */
function reviewGuard(h: ModelHandoff | undefined, who: ActorRef): Expected | null {
  if (who.role === 'cro') return { refused: 'separation-of-duties' };
  if (h?.sellers.has(personKey(who.name))) return { refused: 'separation-of-duties' };
  if (who.role !== 'customer.success') return { refused: 'role-not-allowed' };
  if (!h) return { refused: 'not-open' };
  return null;
}

function roleGuard(h: ModelHandoff | undefined, who: ActorRef, allowed: ActorRole[]): Expected | null {
  if (!allowed.includes(who.role)) return { refused: 'role-not-allowed' };
  if (!h) return { refused: 'not-open' };
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Commands.

type Action =
  | { kind: 'open'; pending: boolean }
  | { kind: 'payment'; status: 'received' | 'processing' | 'pending' }
  | { kind: 'submit'; variant: Variant }
  | { kind: 'attest' }
  | { kind: 'ack'; attest: boolean }
  | { kind: 'reject'; reason: boolean }
  | { kind: 'schedule'; inHours: number }
  | { kind: 'sweep'; advanceHours: number }
  | { kind: 'resolve'; pick: number }
  | { kind: 'flag' }
  | { kind: 'approve-deviation' };

class Step implements fc.AsyncCommand<Model, Real> {
  readonly sow: string;
  readonly generated: ActorRef;
  readonly action: Action;
  readonly advanceMinutes: number;
  /** Run even on a handoff that is not open (most such steps are skipped, so runs get deep). */
  readonly evenIfNotOpen: boolean;
  /** Act as a customer.success member who neither opened nor submitted the handoff (else: as generated). */
  readonly freshReviewer: boolean;
  /** Who acted in the last run (the generated actor, or the fresh reviewer picked then). */
  who: ActorRef;
  constructor(
    sow: string,
    who: ActorRef,
    action: Action,
    advanceMinutes: number,
    options: { evenIfNotOpen: boolean; freshReviewer: boolean },
  ) {
    this.sow = sow;
    this.generated = who;
    this.who = who;
    this.action = action;
    this.advanceMinutes = advanceMinutes;
    this.evenIfNotOpen = options.evenIfNotOpen;
    this.freshReviewer = options.freshReviewer;
  }
  check(model: Readonly<Model>): boolean {
    return this.evenIfNotOpen || ['open', 'sweep'].includes(this.action.kind) || model.handoffs.has(this.sow);
  }
  toString(): string {
    const { kind, ...rest } = this.action;
    return `${kind}(${this.sow}, ${this.who.role}:${this.who.name}@${this.who.via}${Object.keys(rest).length ? `, ${JSON.stringify(rest)}` : ''}, +${this.advanceMinutes}m)`;
  }

  async run(model: Model, real: Real): Promise<void> {
    const { world } = real;
    model.now = model.now.add({
      minutes: this.advanceMinutes + (this.action.kind === 'sweep' ? this.action.advanceHours * 60 : 0),
    });
    world.setNow(model.now.toString());
    const h = model.handoffs.get(this.sow);
    this.who = this.generated;
    if (this.freshReviewer && h) {
      const free = names.filter((name) => !h.sellers.has(personKey(name)));
      const name = free[this.advanceMinutes % Math.max(free.length, 1)];
      if (name) this.who = { role: 'customer.success', name, via: this.generated.via };
    }
    const expected = this.expect(h);
    const before = await clockRows(world);
    let outcome: Expected;
    try {
      await this.perform(world, h);
      outcome = accepted;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      if (e.kind === 'refused') outcome = { refused: e.rule ?? '(no rule)' };
      else if (e.kind === 'bad-input') outcome = { badInput: e.where ?? '(no field)' };
      else throw e;
    }
    if (expected !== 'any') assert.deepEqual(outcome, expected, `${this}: outcome`);
    if ('ok' in outcome) await this.update(model, world);
    if (this.action.kind === 'sweep') await checkSweep(world, before, this.lastSweepRecorded);
    await checkInvariants(model, world);
  }

  private lastSweepRecorded: string[] = [];

  /** What the model predicts, or 'any' where the outcome depends on state the model leaves to the system. */
  private expect(h: ModelHandoff | undefined): Expected | 'any' {
    const a = this.action;
    switch (a.kind) {
      case 'open':
        if (!['cro', 'sales.ops'].includes(this.who.role)) return { refused: 'role-not-allowed' };
        return h ? { refused: 'already-open' } : accepted;
      case 'payment':
        return roleGuard(h, this.who, ['cro', 'sales.ops']) ?? accepted;
      case 'submit': {
        const refusal = roleGuard(h, this.who, ['cro', 'sales.ops']);
        if (refusal || !h) return refusal ?? accepted;
        if (h.state === 'submitted') return { refused: 'awaiting-review' };
        if (h.state === 'acknowledged' || h.state === 'scheduled') return { refused: 'already-acknowledged' };
        if (h.paymentPending) return { refused: 'payment-not-confirmed' };
        return accepted;
      }
      case 'attest': {
        const refusal = reviewGuard(h, this.who);
        if (refusal || !h) return refusal ?? accepted;
        return h.state === 'submitted' ? accepted : { refused: 'nothing-to-review' };
      }
      case 'ack': {
        const refusal = reviewGuard(h, this.who);
        if (refusal || !h) return refusal ?? accepted;
        if (h.scopeOpen) return { refused: 'scope-deviation-unapproved' };
        if (h.state !== 'submitted') return { refused: 'nothing-to-review' };
        if (gateFails(h.variant ?? 'good', h.approved)) return { refused: 'gate-failed' };
        return a.attest || h.attested ? accepted : { refused: 'review-not-attested' };
      }
      case 'reject': {
        const refusal = reviewGuard(h, this.who);
        if (refusal || !h) return refusal ?? accepted;
        if (h.state !== 'submitted') return { refused: 'nothing-to-review' };
        return h.failedAtSubmission || a.reason ? accepted : { badInput: 'check' };
      }
      case 'schedule': {
        const refusal = roleGuard(h, this.who, ['customer.success']);
        if (refusal || !h) return refusal ?? accepted;
        return h.state === 'acknowledged' || h.state === 'scheduled'
          ? accepted
          : { refused: 'discovery-before-acknowledgement' };
      }
      case 'sweep':
        return accepted;
      case 'flag':
        return roleGuard(h, this.who, ['chief.staff']) ?? accepted;
      case 'approve-deviation':
        return roleGuard(h, this.who, ['ceo']) ?? accepted;
      case 'resolve':
        // Who may resolve depends on the escalation's kind: checked by the invariants, not predicted here.
        return 'any';
    }
  }

  private async perform(world: World, h: ModelHandoff | undefined): Promise<void> {
    const { baton } = world;
    const a = this.action;
    const crm = [{ check: 'crm-item-exists' as const, reason: 'item checked on the revenue board' }];
    switch (a.kind) {
      case 'open':
        await openHandoff(baton, this.who, {
          sow: this.sow,
          sowSigned: signed,
          ...(a.pending ? { paymentStatus: 'pending' } : { paymentConfirmed: paid }),
        });
        return;
      case 'payment':
        await recordPayment(baton, this.who, this.sow, {
          status: a.status,
          ...(a.status === 'pending' ? {} : { confirmedAt: paid }),
        });
        return;
      case 'submit': {
        const text = packetFor(this.sow, a.variant === 'good' ? undefined : broken(a.variant));
        await submitPacket(baton, this.who, this.sow, { text });
        return;
      }
      case 'attest':
        await attestReview(baton, this.who, this.sow, crm[0] as (typeof crm)[0]);
        return;
      case 'ack':
        await acknowledgePacket(baton, this.who, this.sow, a.attest ? crm : []);
        return;
      case 'reject':
        await rejectPacket(
          baton,
          this.who,
          this.sow,
          a.reason ? { reason: 'the packet needs more work' } : {},
        );
        return;
      case 'schedule':
        await scheduleDiscovery(
          baton,
          this.who,
          this.sow,
          world.baton.now().add({ hours: a.inHours }).toString(),
        );
        return;
      case 'sweep': {
        const digest = await sweep(baton, this.who);
        this.lastSweepRecorded = digest.recorded
          .filter((r) => r.type === 'ClockMissed')
          .map((r) => `${r.sow} ${r.detail}`);
        return;
      }
      case 'resolve': {
        const open = h
          ? (await loadHandoff(baton, this.sow)).escalations.filter((e) => e.status === 'open')
          : [];
        const target = open[a.pick % Math.max(open.length, 1)]?.id ?? `ESC-${this.sow}-1`;
        await resolveEscalation(baton, this.who, target, 'handled with the customer');
        return;
      }
      case 'flag':
        await flagHandoff(baton, this.who, this.sow, 'the packet reads like a sales pitch');
        return;
      case 'approve-deviation':
        await approveDeviation(baton, this.who, this.sow, 'a fourth module agreed with the customer');
        return;
    }
  }

  /** The model after an accepted command. */
  private async update(model: Model, world: World): Promise<void> {
    const a = this.action;
    const h = model.handoffs.get(this.sow);
    switch (a.kind) {
      case 'open':
        model.handoffs.set(this.sow, {
          state: 'opened',
          paymentPending: a.pending,
          sellers: new Set([personKey(this.who.name)]),
          variant: null,
          failedAtSubmission: false,
          attested: false,
          approved: false,
          scopeOpen: false,
          rejections: 0,
        });
        return;
      case 'payment':
        if (h) h.paymentPending = a.status === 'pending';
        return;
      case 'submit':
        if (!h) return;
        h.state = 'submitted';
        h.sellers.add(personKey(this.who.name));
        h.variant = a.variant;
        h.failedAtSubmission = gateFails(a.variant, h.approved);
        h.attested = false;
        h.scopeOpen = a.variant === 'scope-deviation' && !h.approved;
        return;
      case 'attest':
        if (h) h.attested = true;
        return;
      case 'ack':
        if (h) h.state = 'acknowledged';
        return;
      case 'reject':
        if (!h) return;
        h.state = 'rejected';
        h.rejections++;
        return;
      case 'schedule':
        if (h) h.state = 'scheduled';
        return;
      case 'approve-deviation':
        if (!h) return;
        h.approved = true;
        h.scopeOpen = false;
        return;
      case 'resolve':
        // Resolving the scope deviation (the CEO may) unblocks acknowledgement: read what was resolved.
        if (h)
          h.scopeOpen = (await loadHandoff(world.baton, this.sow)).escalations.some(
            (e) => e.kind === 'scope-deviation' && e.status === 'open',
          );
        return;
      default:
        return;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Invariants.

async function clockRows(world: World) {
  return world.baton.store.db.selectFrom('clocks').selectAll().execute();
}

/** A sweep records exactly the clocks that were open and past due, and leaves none of them open. */
async function checkSweep(
  world: World,
  before: Awaited<ReturnType<typeof clockRows>>,
  recorded: string[],
): Promise<void> {
  const now = world.baton.now().toString({ fractionalSecondDigits: 3 });
  const due = before.filter((c) => c.status === 'open' && c.due < now).map((c) => `${c.sow} ${c.clock}`);
  assert.deepEqual([...recorded].sort(), due.sort(), 'the sweep records each clock past due, once');
  const stillOpen = (await clockRows(world)).filter((c) => c.status === 'open' && c.due < now);
  assert.deepEqual(stillOpen, [], 'no clock past due is left open after a sweep');
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

async function checkInvariants(model: Model, world: World): Promise<void> {
  const { baton } = world;
  for (const sow of sows) {
    const events = await readStream(baton.store.db, sow);
    const sellers = new Set<string>();
    let acknowledged = false;
    const misses = new Set<string>();
    const dues = new Map<string, string>();
    for (const e of events) {
      const who = personKey(e.actor.name);
      if (e.type === 'HandoffOpened' || e.type === 'PacketSubmitted') sellers.add(who);
      if (['PacketAcknowledged', 'PacketRejected', 'ReviewAttested'].includes(e.type)) {
        assert.notEqual(e.actor.role, 'cro', `${sow} v${e.version} ${e.type} by a cro`);
        assert.ok(
          !sellers.has(who),
          `${sow} v${e.version} ${e.type} by ${e.actor.name}, who sold or submitted it`,
        );
        assert.equal(e.actor.role, 'customer.success');
      }
      if (e.type === 'PacketAcknowledged') acknowledged = true;
      if (e.type === 'PacketSubmitted' || e.type === 'PacketRejected') acknowledged = false;
      if (e.type === 'DiscoveryScheduled')
        assert.ok(acknowledged, `${sow} v${e.version}: discovery scheduled before an acknowledgement`);
      if (e.type === 'ClockStarted') dues.set(`${e.data.clock} ${e.data.seq}`, e.data.due as string);
      if (e.type === 'ClockMissed') {
        const key = `${e.data.clock} ${e.data.seq}`;
        assert.ok(!misses.has(key), `${sow}: the miss of ${key} recorded twice`);
        misses.add(key);
        const due = dues.get(key);
        assert.ok(due, `${sow}: a miss of ${key}, which never started`);
        assert.ok(
          Temporal.Instant.compare(Temporal.Instant.from(due), Temporal.Instant.from(e.at)) < 0,
          `${sow}: ${key} recorded missed at ${e.at}, before it was due (${due})`,
        );
      }
    }
    const m = model.handoffs.get(sow);
    const state = await loadHandoff(baton, sow);
    assert.equal(state.state, m?.state ?? null, `${sow}: state`);
    if (!m) continue;
    assert.equal(state.rejections.length, m.rejections, `${sow}: rejections`);
    const twice = state.escalations.filter((e) => e.kind === 'gate-failed-twice');
    assert.equal(twice.length, m.rejections >= 2 ? 1 : 0, `${sow}: the second rejection escalates, once`);
    for (const s of state.submissions)
      assert.equal(sha256(readFileSync(join(world.root, s.frozenPath), 'utf8')), s.sha256, s.frozenPath);
    for (const incident of state.incidents) {
      assert.ok(existsSync(join(world.root, incident.path)), `${incident.path} on the root`);
      const elsewhere = incident.path.replace(/\/(open|closed)\//, (_, d) =>
        d === 'open' ? '/closed/' : '/open/',
      );
      assert.ok(!existsSync(join(world.root, elsewhere)), `${elsewhere} should not exist`);
    }
  }
  const verified = await verifyStore(baton);
  assert.ok(verified.ok, JSON.stringify(verified));
}

// ---------------------------------------------------------------------------------------------------
// Arbitraries: actors lean towards the roles a command is for, so runs get far into the lifecycle.

const anyActor = fc.record({
  role: fc.constantFrom<ActorRole>(...roles),
  name: fc.constantFrom(...names),
  via: fc.constantFrom(...interfaces.filter((v) => v !== 'system')),
});
const actorFor = (...preferred: ActorRole[]): fc.Arbitrary<ActorRef> =>
  fc.oneof(
    { arbitrary: anyActor, weight: 1 },
    {
      arbitrary: anyActor.chain((a) => fc.constantFrom(...preferred).map((role) => ({ ...a, role }))),
      weight: 3,
    },
  );
/** Mostly one handoff, so runs get through its lifecycle; sometimes the other (sweeps see both). */
const sowArb = fc.oneof(
  { arbitrary: fc.constant(sows[0] as string), weight: 5 },
  { arbitrary: fc.constant(sows[1] as string), weight: 1 },
);
const minutes = fc.integer({ min: 0, max: 240 });

const step = (
  who: fc.Arbitrary<ActorRef>,
  action: fc.Arbitrary<Action>,
  options: { freshReviewer?: boolean } = {},
) =>
  fc
    .tuple(sowArb, who, action, minutes, fc.nat(9), options.freshReviewer ? fc.nat(2) : fc.constant(1))
    .map(
      ([sow, a, act, m, n, r]) =>
        new Step(sow, a, act, m, { evenIfNotOpen: n === 0, freshReviewer: r === 0 }),
    );
const review = { freshReviewer: true };

const open = step(
  actorFor('cro', 'sales.ops'),
  fc.nat(3).map((n) => ({ kind: 'open' as const, pending: n === 0 })),
);
const payment = step(
  actorFor('cro', 'sales.ops'),
  fc
    .constantFrom('received', 'processing', 'pending')
    .map((status) => ({ kind: 'payment' as const, status })),
);
const submit = step(
  actorFor('cro', 'sales.ops'),
  fc
    .oneof(
      { arbitrary: fc.constant<Variant>('good'), weight: 3 },
      { arbitrary: fc.constantFrom<Variant>(...variants), weight: 2 },
    )
    .map((variant) => ({ kind: 'submit' as const, variant })),
);
const attest = step(actorFor('customer.success'), fc.constant({ kind: 'attest' as const }), review);
const ack = step(
  actorFor('customer.success'),
  fc.nat(3).map((n) => ({ kind: 'ack' as const, attest: n > 0 })),
  review,
);
const reject = step(
  actorFor('customer.success'),
  fc.boolean().map((reason) => ({ kind: 'reject' as const, reason })),
  review,
);
const schedule = step(
  actorFor('customer.success'),
  fc.integer({ min: 0, max: 96 }).map((inHours) => ({ kind: 'schedule' as const, inHours })),
);
const sweepStep = step(
  fc.oneof(anyActor, fc.constant<ActorRef>({ role: 'system', name: 'baton', via: 'system' })),
  fc.integer({ min: 1, max: 80 }).map((advanceHours) => ({ kind: 'sweep' as const, advanceHours })),
);
const resolve = step(
  actorFor('chief.staff', 'ceo', 'cro', 'customer.success'),
  fc.nat(5).map((pick) => ({ kind: 'resolve' as const, pick })),
);
const flag = step(actorFor('chief.staff'), fc.constant({ kind: 'flag' as const }));
const approve = step(actorFor('ceo'), fc.constant({ kind: 'approve-deviation' as const }));

/** fast-check picks among these evenly: the lifecycle's main steps are listed more than once to go deep. */
const commandArbs: fc.Arbitrary<fc.AsyncCommand<Model, Real>>[] = [
  open,
  open,
  payment,
  submit,
  submit,
  submit,
  attest,
  ack,
  ack,
  ack,
  reject,
  reject,
  schedule,
  schedule,
  sweepStep,
  resolve,
  flag,
  approve,
];

const initialModel = (): Model => ({
  now: Temporal.Instant.from('2026-05-14T14:00:00Z'),
  handoffs: new Map(),
});

async function runModel(dialect: TestDialect, numRuns: number, maxCommands: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.commands(commandArbs, { maxCommands, size: 'max' }), async (cmds) => {
      const place = createTestPlace(dialect);
      try {
        const world = await createWorld(place);
        await fc.asyncModelRun(() => ({ model: initialModel(), real: { world } }), cmds);
      } finally {
        await place.cleanup();
      }
    }),
    { numRuns },
  );
}

describe('the workflow against a model (fast-check commands)', () => {
  it('SQLite: random commands by random actors keep every invariant', async () => {
    await runModel('sqlite', 40, 40);
  });

  it('Postgres: a shorter run', { skip: !postgresEnabled && 'BATON_TEST_DATABASE_URL=off' }, async () => {
    await runModel('postgres', 8, 25);
  });
});
