// End-to-end scenarios of the workflow through the real binary (`node bin/baton.js`), on SQLite and on
// Postgres: each scenario gets a knowledge root of its own (a copy of examples/northwind) and, on Postgres,
// a schema of its own (BATON_PG_SCHEMA), created here and dropped afterwards. The clock is BATON_NOW per step.
//
// The example deal: SOW signed Tuesday 2026-05-12, payment received Wednesday 2026-05-13; the packet's
// gate says review (crm-item-exists: monday.com is not configured), so acknowledging needs an attestation.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  createTestPlace,
  dialects,
  postgresEnabled,
  type TestPlace,
  testDatabaseUrl,
} from '../store/dialects.ts';

const project = join(import.meta.dirname, '../..');
const bin = join(project, 'bin/baton.js');
const SOW = 'SOW-2026-014';
const packetRel = `operations/handoffs/assessments/${SOW}-handoff-packet.md`;
const reportRel = `operations/handoffs/assessments/${SOW}-handoff-report.md`;
const examplePacket = readFileSync(join(project, 'examples/northwind', packetRel), 'utf8');
const brokenPacket = examplePacket.replace(
  '| Industry | B2B SaaS (security operations) |',
  '| Industry | TBD |',
);
const attestCrm = ['--attest', 'crm-item-exists=item 8812345 checked on the revenue board'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whichever fields the command printed
  json: any;
}

/** One scenario's world: a root, the store's place, and the binary run with them. */
class Cli {
  readonly place: TestPlace;
  constructor(place: TestPlace) {
    this.place = place;
    cpSync(join(project, 'examples/northwind'), place.root, { recursive: true });
  }
  get root(): string {
    return this.place.root;
  }
  env(now: string): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...(process.env.NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE } : {}),
      BATON_ROOT: this.root,
      BATON_NOW: now,
      ...(this.place.schema ? { DATABASE_URL: testDatabaseUrl, BATON_PG_SCHEMA: this.place.schema } : {}),
    };
  }
  /** Runs `baton ARGS` at `now`; parses stdout as JSON when --json was given. */
  run(now: string, ...args: string[]): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], { cwd: this.root, env: this.env(now) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('error', reject);
      child.on('close', (code) => {
        let json: unknown;
        if (args.includes('--json') && stdout.trim()) {
          try {
            json = JSON.parse(stdout);
          } catch {
            reject(new Error(`baton ${args.join(' ')}: stdout is not one JSON value:\n${stdout}\n${stderr}`));
            return;
          }
        }
        resolve({ code, stdout, stderr, json });
      });
    });
  }
  /** Runs a command that must succeed (exit 0). */
  async ok(now: string, ...args: string[]): Promise<Run> {
    const r = await this.run(now, ...args);
    assert.equal(r.code, 0, `baton ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r;
  }
  /** Runs a command that must fail with this exit code under --json; returns the printed error. */
  async fails(code: number, now: string, ...args: string[]) {
    const r = await this.run(now, ...args, '--json');
    assert.equal(
      r.code,
      code,
      `baton ${args.join(' ')}: exit ${r.code}, wanted ${code}: ${r.stderr}${r.stdout}`,
    );
    assert.ok(r.json?.error, `an {"error": ...} object on stdout: ${r.stdout}`);
    assert.match(r.stderr, /^baton: /, 'the message on stderr too');
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    return r.json.error as {
      kind: string;
      message: string;
      where?: string;
      rule?: string;
      allowed?: string[];
    };
  }
  read(rel: string): string {
    return readFileSync(join(this.root, rel), 'utf8');
  }
  exists(rel: string): boolean {
    return existsSync(join(this.root, rel));
  }
  /** Runs SQL on the scenario's store directly (what someone with database access could do). */
  async sql(text: string, params: unknown[] = []): Promise<void> {
    if (!this.place.schema) {
      const db = new DatabaseSync(join(this.root, '.baton/baton.db'));
      try {
        db.prepare(text.replace(/\$\d+/g, '?')).run(...(params as (string | number)[]));
      } finally {
        db.close();
      }
      return;
    }
    const client = new pg.Client({ connectionString: testDatabaseUrl });
    await client.connect();
    try {
      await client.query(`set search_path to "${this.place.schema}"`);
      await client.query(text, params);
    } finally {
      await client.end();
    }
  }
}

const open = (cli: Cli, now = '2026-05-13T15:00:00Z', ...extra: string[]) =>
  cli.ok(now, 'open', SOW, '--sow-signed', '2026-05-12', '--as', 'cro:Carla Reyes', '--json', ...extra);

for (const dialect of dialects) {
  const skip = dialect === 'postgres' && !postgresEnabled ? 'BATON_TEST_DATABASE_URL=off' : false;
  describe(`baton workflow end to end [${dialect}]`, { skip }, () => {
    const places: TestPlace[] = [];
    /** A fresh world; on Postgres its schema is created here (the store would create it too) and dropped after. */
    const world = async (): Promise<Cli> => {
      const place = createTestPlace(dialect);
      places.push(place);
      if (place.schema) {
        const client = new pg.Client({ connectionString: testDatabaseUrl });
        await client.connect();
        await client.query(`create schema "${place.schema}"`);
        await client.end();
      }
      return new Cli(place);
    };
    after(async () => {
      for (const place of places.splice(0)) await place.cleanup();
    });

    it('the happy path: open, submit, ack with an attestation, schedule; status, history and list', async () => {
      const cli = await world();
      const opened = await open(
        cli,
        '2026-05-13T15:00:00Z',
        '--payment-confirmed',
        '2026-05-13T10:00:00-04:00',
      );
      assert.equal(opened.json.state, 'opened');
      assert.match(opened.json.warnings[0], /the clocks cannot all be met for this deal/);

      const submitted = await cli.ok(
        '2026-05-14T14:00:00Z',
        'submit',
        SOW,
        '--as',
        'cro:Carla Reyes',
        '--json',
      );
      assert.equal(submitted.json.state, 'submitted');
      const frozen = submitted.json.events[0].data.frozenPath as string;
      assert.equal(cli.read(frozen), examplePacket);
      assert.match(cli.read(reportRel), /^\| Blocking \| Yes/m);

      // Without the attestation the gate's review blocks; the submitter may never acknowledge.
      const unattested = await cli.fails(
        4,
        '2026-05-14T15:00:00Z',
        'ack',
        SOW,
        '--as',
        'customer.success:Casey Lin',
      );
      assert.equal(unattested.rule, 'review-not-attested');
      assert.equal(unattested.where, 'crm-item-exists');
      const own = await cli.fails(
        4,
        '2026-05-14T15:00:00Z',
        'ack',
        SOW,
        '--as',
        'customer.success:Carla Reyes',
        ...attestCrm,
      );
      assert.equal(own.rule, 'separation-of-duties');
      const early = await cli.fails(
        4,
        '2026-05-14T15:00:00Z',
        'schedule',
        SOW,
        '--discovery',
        '2026-05-18T15:00:00-04:00',
        '--as',
        'customer.success:Casey Lin',
      );
      assert.equal(early.rule, 'discovery-before-acknowledgement');

      const acked = await cli.ok(
        '2026-05-14T16:00:00Z',
        'ack',
        SOW,
        '--as',
        'customer.success:Casey Lin',
        ...attestCrm,
        '--json',
      );
      assert.equal(acked.json.state, 'acknowledged');
      assert.match(
        cli.read(reportRel),
        /^\| Acknowledged By \| Casey Lin \(customer\.success\), 2026-05-14T16:00:00\.000Z, version 1 \|$/m,
      );
      await cli.ok(
        '2026-05-14T17:00:00Z',
        'schedule',
        SOW,
        '--discovery',
        '2026-05-18T15:00:00-04:00',
        '--as',
        'customer.success:Casey Lin',
      );

      const status = (await cli.ok('2026-05-14T18:00:00Z', 'status', SOW, '--json')).json;
      assert.equal(status.sow, SOW);
      assert.equal(status.state, 'scheduled');
      assert.deepEqual(status.payment, { status: 'received', confirmedAt: '2026-05-13T14:00:00Z' });
      assert.equal(status.submissions.length, 1);
      assert.deepEqual(status.rejections, []);
      assert.deepEqual(status.deadlines, {
        packetDue: '2026-05-15T17:00:00-04:00',
        ackDue: '2026-05-15T17:00:00-04:00',
        remediationDue: null,
        kickoffDue: '2026-05-18T17:00:00-04:00',
        discoveryScheduleDue: '2026-05-19T17:00:00-04:00',
        misalignmentResolveDue: null,
      });
      assert.deepEqual(
        status.clocks.map((c: { name: string; status: string; metAt: string }) => [
          c.name,
          c.status,
          c.metAt,
        ]),
        [
          ['discoveryScheduleDue', 'met', '2026-05-14T17:00:00.000Z'],
          ['packetDue', 'met', '2026-05-14T14:00:00.000Z'],
          ['ackDue', 'met', '2026-05-14T16:00:00.000Z'],
          ['kickoffDue', 'met', '2026-05-14T17:00:00.000Z'],
        ],
      );
      assert.deepEqual(status.escalations, []);
      assert.deepEqual(status.incidents, []);
      assert.deepEqual(status.files, { packet: packetRel, report: reportRel, frozen: [frozen] });

      const history = (await cli.ok('2026-05-14T18:00:00Z', 'history', SOW, '--json')).json;
      assert.deepEqual(
        history.map((e: { version: number }) => e.version),
        history.map((_: unknown, i: number) => i + 1),
      );
      const ack = history.find((e: { type: string }) => e.type === 'PacketAcknowledged');
      assert.deepEqual(ack.actor, { role: 'customer.success', name: 'Casey Lin', via: 'cli' });
      assert.match(ack.hash, /^[0-9a-f]{64}$/);
      const text = (await cli.ok('2026-05-14T18:00:00Z', 'history', SOW)).stdout;
      assert.match(text, /^v1 2026-05-13T15:00:00\.000Z HandoffOpened\s+Carla Reyes \(cro, cli\)$/m);

      const scheduled = (await cli.ok('2026-05-14T18:00:00Z', 'list', '--state', 'scheduled', '--json')).json;
      assert.deepEqual(
        scheduled.map((r: { sow: string; state: string }) => [r.sow, r.state]),
        [[SOW, 'scheduled']],
      );
      assert.deepEqual(
        (await cli.ok('2026-05-14T18:00:00Z', 'list', '--state', 'submitted', '--json')).json,
        [],
      );
      const badState = await cli.fails(2, '2026-05-14T18:00:00Z', 'list', '--state', 'done');
      assert.equal(badState.where, 'state');
      assert.match(badState.message, /opened, submitted, rejected, acknowledged, scheduled/);
    });

    it('reject, fix, resubmit, ack', async () => {
      const cli = await world();
      await open(cli, '2026-05-13T15:00:00Z', '--payment-confirmed', '2026-05-13T14:00:00Z');
      const draft = join(cli.root, 'draft.md');
      writeFileSync(draft, brokenPacket);
      const first = await cli.ok(
        '2026-05-14T14:00:00Z',
        'submit',
        SOW,
        '--file',
        draft,
        '--as',
        'sales.ops:Sam Ortiz',
        '--json',
      );
      assert.equal(first.json.events[0].data.gate.verdict, 'fail');
      assert.equal(cli.read(packetRel), brokenPacket, '--file is copied to the SOP path');
      const failed = await cli.fails(
        4,
        '2026-05-14T15:00:00Z',
        'ack',
        SOW,
        '--as',
        'customer.success:Casey Lin',
        ...attestCrm,
      );
      assert.equal(failed.rule, 'gate-failed');
      const rejected = await cli.ok(
        '2026-05-14T15:00:00Z',
        'reject',
        SOW,
        '--as',
        'customer.success:Casey Lin',
        '--json',
      );
      assert.equal(rejected.json.state, 'rejected');
      assert.deepEqual(rejected.json.events[0].data.checks, ['required-fields']);
      assert.match(
        cli.read(reportRel),
        /rejected version 1 \| Casey Lin \(customer\.success\) \| required-fields/,
      );

      writeFileSync(draft, examplePacket);
      const second = await cli.ok(
        '2026-05-14T18:00:00Z',
        'submit',
        SOW,
        '--file',
        draft,
        '--as',
        'sales.ops:Sam Ortiz',
        '--json',
      );
      assert.equal(second.json.events[0].data.n, 2);
      assert.equal(second.json.events[0].data.gate.verdict, 'review');
      assert.equal(
        (
          await cli.fails(
            4,
            '2026-05-14T19:00:00Z',
            'ack',
            SOW,
            '--as',
            'customer.success:Sam Ortiz',
            ...attestCrm,
          )
        ).rule,
        'separation-of-duties',
      );
      await cli.ok('2026-05-14T19:00:00Z', 'ack', SOW, '--as', 'customer.success:Casey Lin', ...attestCrm);
      const status = (await cli.ok('2026-05-14T19:00:00Z', 'status', SOW, '--json')).json;
      assert.equal(status.state, 'acknowledged');
      assert.equal(status.submissions.length, 2);
      assert.equal(status.rejections.length, 1);
      assert.equal(status.deadlines.remediationDue, '2026-05-15T17:00:00-04:00');
      const remediation = status.clocks.find((c: { name: string }) => c.name === 'remediationDue');
      assert.deepEqual([remediation.status, remediation.metAt], ['met', '2026-05-14T18:00:00.000Z']);
      assert.deepEqual(status.submissions[0].by, {
        role: 'sales.ops',
        name: 'Sam Ortiz',
        via: 'cli',
        onBehalfOf: 'cro',
      });
    });

    it('two rejections file a SEV2 incident, which moves to closed/ when resolved', async () => {
      const cli = await world();
      await open(cli, '2026-05-13T15:00:00Z', '--payment-confirmed', '2026-05-13T14:00:00Z');
      const draft = join(cli.root, 'draft.md');
      writeFileSync(draft, brokenPacket);
      for (const [submitAt, rejectAt] of [
        ['2026-05-14T14:00:00Z', '2026-05-14T15:00:00Z'],
        ['2026-05-14T16:00:00Z', '2026-05-14T17:00:00Z'],
      ] as const) {
        await cli.ok(submitAt, 'submit', SOW, '--file', draft, '--as', 'cro:Carla Reyes');
        await cli.ok(
          rejectAt,
          'reject',
          SOW,
          '--as',
          'customer.success:Casey Lin',
          '--reason',
          'Industry is still TBD',
        );
      }
      const id = 'INC-2026-0514-sow-2026-014-gate-failed-twice';
      const openPath = `operations/incidents/open/${id}.md`;
      assert.ok(cli.exists(openPath));
      const incident = cli.read(openPath);
      for (const line of [
        `incident_id: "${id}"`,
        'severity: "SEV2"',
        'status: "open"',
        'filed_by: "baton"',
        'filed_at: "2026-05-14T17:00:00.000Z"',
        'owner: "chief.staff"',
      ])
        assert.ok(incident.includes(`\n${line}\n`), line);
      for (const section of ['What Failed', 'Where', 'Why', 'Temporary Mitigation', 'Recommended SOP Update'])
        assert.match(incident, new RegExp(`^## ${section}$`, 'm'));

      const digest = (await cli.ok('2026-05-14T18:00:00Z', 'sweep', '--json')).json;
      assert.deepEqual(
        digest.incidentsOpen.map((i: { id: string; severity: string; path: string }) => [
          i.id,
          i.severity,
          i.path,
        ]),
        [[id, 'SEV2', openPath]],
      );
      assert.deepEqual(
        digest.escalationsOpen.map((e: { id: string; kind: string }) => [e.id, e.kind]),
        [['ESC-SOW-2026-014-1', 'gate-failed-twice']],
      );
      const text = (await cli.ok('2026-05-14T18:00:00Z', 'status', SOW)).stdout;
      assert.match(text, /escalation ESC-SOW-2026-014-1 gate-failed-twice open, owners chief\.staff/);

      const notOwner = await cli.fails(
        4,
        '2026-05-14T18:00:00Z',
        'resolve',
        'ESC-SOW-2026-014-1',
        '--note',
        'fine',
        '--as',
        'cro:Carla Reyes',
      );
      assert.equal(notOwner.rule, 'role-not-allowed');
      await cli.ok(
        '2026-05-14T19:00:00Z',
        'resolve',
        'ESC-SOW-2026-014-1',
        '--note',
        'reviewed the packet with the CRO',
        '--as',
        'chief.staff:Chris Moss',
      );
      assert.equal(cli.exists(openPath), false);
      const closed = cli.read(`operations/incidents/closed/${id}.md`);
      assert.ok(closed.includes('\nstatus: "closed"\n'));
      assert.match(closed, /^## Resolution$/m);
    });

    it('payment pending: submit is refused (exit 4, rule payment-not-confirmed) until `baton payment`', async () => {
      const cli = await world();
      await open(cli, '2026-05-13T15:00:00Z', '--payment-status', 'pending');
      const refused = await cli.fails(4, '2026-05-14T14:00:00Z', 'submit', SOW, '--as', 'cro:Carla Reyes');
      assert.equal(refused.kind, 'refused');
      assert.equal(refused.rule, 'payment-not-confirmed');
      assert.ok(refused.allowed?.includes('payment'), JSON.stringify(refused));
      assert.equal(cli.exists(reportRel), false, 'nothing written');
      assert.equal(cli.exists(`operations/handoffs/assessments/archive/${SOW}`), false);

      const paid = await cli.ok(
        '2026-05-14T15:00:00Z',
        'payment',
        SOW,
        '--payment-confirmed',
        '2026-05-14T10:30:00-04:00',
        '--as',
        'sales.ops:Sam Ortiz',
        '--json',
      );
      assert.deepEqual(
        paid.json.events.map((e: { type: string; data: { clock?: string; due?: string } }) => [
          e.type,
          e.data.clock ?? null,
          e.data.due ?? null,
        ]),
        [
          ['PaymentRecorded', null, null],
          ['ClockStarted', 'packetDue', '2026-05-18T17:00:00-04:00'],
        ],
      );
      const submitted = await cli.ok(
        '2026-05-14T16:00:00Z',
        'submit',
        SOW,
        '--as',
        'cro:Carla Reyes',
        '--json',
      );
      assert.equal(submitted.json.state, 'submitted');
      const history = (await cli.ok('2026-05-14T16:00:00Z', 'history', SOW, '--json')).json;
      const payment = history.find((e: { type: string }) => e.type === 'PaymentRecorded');
      assert.deepEqual(payment.actor, {
        role: 'sales.ops',
        name: 'Sam Ortiz',
        via: 'cli',
        onBehalfOf: 'cro',
      });
    });

    it('a clock missed across a holiday: due after the observed Independence Day, recorded once', async () => {
      const cli = await world();
      const sow = 'SOW-2026-020';
      // Payment Thursday 2026-07-02; Friday 07-03 is the observed holiday: 2 business days is Tuesday 07-07.
      await cli.ok(
        '2026-07-02T16:00:00Z',
        'open',
        sow,
        '--sow-signed',
        '2026-06-30',
        '--payment-confirmed',
        '2026-07-02T11:00:00-04:00',
        '--as',
        'cro',
      );
      const status = (await cli.ok('2026-07-02T16:00:00Z', 'status', sow, '--json')).json;
      assert.equal(status.deadlines.packetDue, '2026-07-07T17:00:00-04:00');
      assert.equal(status.deadlines.discoveryScheduleDue, '2026-07-08T17:00:00-04:00');

      // Monday evening (due Monday, were Friday a business day): nothing is missed yet.
      assert.deepEqual((await cli.ok('2026-07-06T22:00:00Z', 'sweep', '--json')).json.recorded, []);
      // Tuesday 17:30 New York: missed, recorded once across two sweeps.
      const first = (await cli.ok('2026-07-07T21:30:00Z', 'sweep', '--json')).json;
      assert.deepEqual(first.recorded, [{ sow, type: 'ClockMissed', detail: 'packetDue' }]);
      assert.deepEqual(first.overdue, [{ sow, clock: 'packetDue', due: '2026-07-07T21:00:00.000Z' }]);
      const second = await cli.ok('2026-07-07T23:00:00Z', 'sweep');
      assert.match(second.stdout, /^sweep at 2026-07-07T23:00:00\.000Z: 0 new records$/m);
      assert.match(second.stdout, /^ {2}SOW-2026-020 packetDue was due 2026-07-07T21:00:00\.000Z$/m);
      const history = (await cli.ok('2026-07-07T23:00:00Z', 'history', sow, '--json')).json;
      const misses = history.filter((e: { type: string }) => e.type === 'ClockMissed');
      assert.equal(misses.length, 1);
      assert.equal(misses[0].actor.role, 'system');
      const after = (await cli.ok('2026-07-07T23:00:00Z', 'status', sow, '--json')).json;
      const clock = after.clocks.find((c: { name: string }) => c.name === 'packetDue');
      assert.deepEqual([clock.status, clock.missedAt], ['missed', '2026-07-07T21:30:00.000Z']);
      assert.deepEqual(
        (await cli.ok('2026-07-07T23:00:00Z', 'list', '--overdue', '--json')).json.map(
          (r: { sow: string }) => r.sow,
        ),
        [sow],
      );
    });

    it('exit codes: 2 for bad input naming the field, 3 for a conflict, 4 for a refusal naming the rule', async () => {
      const cli = await world();
      const badDate = await cli.fails(
        2,
        '2026-05-13T15:00:00Z',
        'open',
        SOW,
        '--sow-signed',
        '2026-13-45',
        '--payment-confirmed',
        '2026-05-13T14:00:00Z',
        '--as',
        'cro',
      );
      assert.equal(badDate.kind, 'bad-input');
      assert.equal(badDate.where, 'sow-signed');
      assert.match(badDate.message, /YYYY-MM-DD/);
      const badInstant = await cli.fails(
        2,
        '2026-05-13T15:00:00Z',
        'open',
        SOW,
        '--sow-signed',
        '2026-05-12',
        '--payment-confirmed',
        'yesterday',
        '--as',
        'cro',
      );
      assert.equal(badInstant.where, 'payment-confirmed');
      const badSow = await cli.fails(
        2,
        '2026-05-13T15:00:00Z',
        'open',
        'SOW-14',
        '--sow-signed',
        '2026-05-12',
        '--as',
        'cro',
      );
      assert.equal(badSow.where, 'SOW');
      assert.match(badSow.message, /SOW-YYYY-NNN/);
      const badRole = await cli.fails(
        2,
        '2026-05-13T15:00:00Z',
        'open',
        SOW,
        '--sow-signed',
        '2026-05-12',
        '--as',
        'wizard',
      );
      assert.equal(badRole.where, 'as');
      const badCheck = await cli.fails(
        2,
        '2026-05-13T15:00:00Z',
        'reject',
        SOW,
        '--check',
        'vibes',
        '--as',
        'customer.success',
      );
      assert.equal(badCheck.where, '--check');
      assert.match(badCheck.message, /required-fields/);
      assert.match(
        (await cli.fails(2, '2026-05-13T15:00:00Z', 'list', '--state', 'nope')).message,
        /--state/,
      );
      for (const query of ['status', 'history']) {
        const notSow = await cli.fails(2, '2026-05-13T15:00:00Z', query, 'SOW-14');
        assert.deepEqual([notSow.kind, notSow.where], ['bad-input', 'SOW'], query);
        assert.equal(
          (await cli.fails(2, '2026-05-13T15:00:00Z', query, 'SOW-2026-099')).kind,
          'not-found',
          query,
        );
      }

      await open(cli, '2026-05-13T15:00:00Z', '--payment-confirmed', '2026-05-13T14:00:00Z');
      const twice = await cli.fails(
        4,
        '2026-05-13T15:00:00Z',
        'open',
        SOW,
        '--sow-signed',
        '2026-05-12',
        '--payment-confirmed',
        '2026-05-13T14:00:00Z',
        '--as',
        'sales.ops',
      );
      assert.equal(twice.rule, 'already-open');
      const { json } = await cli.ok(
        '2026-05-14T14:00:00Z',
        'submit',
        SOW,
        '--as',
        'cro:Carla Reyes',
        '--json',
      );
      const croAck = await cli.fails(
        4,
        '2026-05-14T15:00:00Z',
        'ack',
        SOW,
        '--as',
        'cro:Someone Else',
        ...attestCrm,
      );
      assert.equal(croAck.kind, 'refused');
      assert.equal(croAck.rule, 'separation-of-duties');
      assert.deepEqual(
        croAck.allowed,
        ['payment', 'intro', 'resolve', 'sweep'].filter((c) => c !== 'resolve'),
      );
      // The frozen copy no longer matches its recorded hash: the review conflicts with the record.
      writeFileSync(
        join(cli.root, json.events[0].data.frozenPath),
        `${examplePacket}\nedited after submission\n`,
      );
      const conflict = await cli.fails(
        3,
        '2026-05-14T15:00:00Z',
        'ack',
        SOW,
        '--as',
        'customer.success:Casey Lin',
        ...attestCrm,
      );
      assert.equal(conflict.kind, 'conflict');
      assert.match(conflict.message, /no longer matches the sha256/);
    });

    it('two people acknowledging at once from two processes: one wins, the other is told', async () => {
      const cli = await world();
      await open(cli, '2026-05-13T15:00:00Z', '--payment-confirmed', '2026-05-13T14:00:00Z');
      await cli.ok('2026-05-14T14:00:00Z', 'submit', SOW, '--as', 'cro:Carla Reyes');
      const both = await Promise.all(
        ['customer.success:Casey Lin', 'customer.success:Cam Diallo'].map((who) =>
          cli.run('2026-05-14T15:00:00Z', 'ack', SOW, '--as', who, ...attestCrm, '--json'),
        ),
      );
      const [winner, loser] = [...both].sort((a, b) => (a.code ?? 9) - (b.code ?? 9));
      assert.equal(winner?.code, 0, winner?.stderr);
      // A conflict when both read the same version; a refusal when the loser read it after the winner wrote.
      assert.ok(
        (loser?.code === 3 && loser.json.error.kind === 'conflict') ||
          (loser?.code === 4 && loser.json.error.rule === 'nothing-to-review'),
        `${loser?.code}: ${loser?.stdout}`,
      );
      const history = (await cli.ok('2026-05-14T16:00:00Z', 'history', SOW, '--json')).json;
      assert.equal(history.filter((e: { type: string }) => e.type === 'PacketAcknowledged').length, 1);
      assert.equal(history.filter((e: { type: string }) => e.type === 'ReviewAttested').length, 1);
    });

    it('verify exits 0, then 1 naming the first bad event after tampering; rebuild restores the projections', async () => {
      const cli = await world();
      await open(cli, '2026-05-13T15:00:00Z', '--payment-confirmed', '2026-05-13T14:00:00Z');
      await cli.ok('2026-05-14T14:00:00Z', 'submit', SOW, '--as', 'cro:Carla Reyes');
      const good = await cli.ok('2026-05-14T14:00:00Z', 'verify', '--json');
      assert.deepEqual(good.json, { ok: true, events: 6, handoffs: 1 });
      assert.match((await cli.ok('2026-05-14T14:00:00Z', 'verify')).stdout, /^ok: 6 events in 1 handoffs/);

      // Someone with database access edits the recorded gate of the submission (event 4).
      await cli.sql(
        `update events set data = replace(data, '"verdict":"review"', '"verdict":"pass"') where stream = $1 and version = 4`,
        [SOW],
      );
      const bad = await cli.run('2026-05-14T14:00:00Z', 'verify', '--json');
      assert.equal(bad.code, 1);
      assert.equal(bad.json.ok, false);
      assert.equal(bad.json.stream, SOW);
      assert.equal(bad.json.version, 4);
      const text = await cli.run('2026-05-14T14:00:00Z', 'verify');
      assert.equal(text.code, 1);
      assert.match(text.stdout, /^BROKEN: event SOW-2026-014 v4 \(position \d+\): hash mismatch$/m);
      await cli.sql(
        `update events set data = replace(data, '"verdict":"pass"', '"verdict":"review"') where stream = $1 and version = 4`,
        [SOW],
      );
      await cli.ok('2026-05-14T14:00:00Z', 'verify');

      // A projection edited behind baton's back: verify names it, rebuild restores it from the log.
      await cli.sql(
        `update handoffs set state = 'acknowledged', doc = replace(doc, '"state":"submitted"', '"state":"acknowledged"') where sow = $1`,
        [SOW],
      );
      assert.equal(
        (await cli.ok('2026-05-14T14:00:00Z', 'status', SOW, '--json')).json.state,
        'acknowledged',
      );
      const drifted = await cli.run('2026-05-14T14:00:00Z', 'verify', '--json');
      assert.equal(drifted.code, 1);
      assert.match(drifted.json.problem, /the projection of SOW-2026-014 does not match its events/);
      const rebuilt = await cli.ok('2026-05-14T14:00:00Z', 'rebuild', '--json');
      assert.deepEqual(rebuilt.json, { handoffs: 1, events: 6 });
      assert.match(
        (await cli.ok('2026-05-14T14:00:00Z', 'rebuild')).stdout,
        /^rebuilt 1 handoffs from 6 events$/m,
      );
      assert.deepEqual((await cli.ok('2026-05-14T14:00:00Z', 'verify', '--json')).json, {
        ok: true,
        events: 6,
        handoffs: 1,
      });
      assert.equal((await cli.ok('2026-05-14T14:00:00Z', 'status', SOW, '--json')).json.state, 'submitted');
    });
  });
}

before(() => {
  assert.ok(existsSync(bin), bin);
});
