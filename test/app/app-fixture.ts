/**
 * A service-layer test world: a knowledge root holding a copy of examples/northwind, a store from the
 * store test helper (SQLite or Postgres, a place of its own), and a clock the test sets. The Baton is
 * assembled as src/app/open-baton.ts does (playbook, calendar, file.write handler), without integrations.
 *
 *   const world = await createWorld(place);            // place from forEachDialect / openTestStore
 *   world.setNow('2026-05-14T14:00:00Z');
 *   await openHandoff(world.baton, carla, { ... });
 *   const other = await world.another('worker-2');      // a second Baton: own connection, same root and clock
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Temporal } from 'temporal-polyfill';
import { calendarFor } from '../../src/app/calendar-for.ts';
import type { Baton } from '../../src/app/handoff-context.ts';
import { fileWriteHandler } from '../../src/app/outbox-dispatcher.ts';
import { loadPlaybook } from '../../src/app/playbook-source.ts';
import type { ActorRef, ActorRole } from '../../src/domain/workflow/index.ts';
import type { TestPlace } from '../store/dialects.ts';

export const project = join(import.meta.dirname, '../..');
export const SOW = 'SOW-2026-014';
export const packetRelOf = (sow: string): string =>
  `operations/handoffs/assessments/${sow}-handoff-packet.md`;
export const reportRelOf = (sow: string): string =>
  `operations/handoffs/assessments/${sow}-handoff-report.md`;
export const packetRel = packetRelOf(SOW);
export const examplePacket = readFileSync(join(project, 'examples/northwind', packetRel), 'utf8');

/**
 * The example deal: SOW signed Tuesday 2026-05-12, payment received Wednesday 2026-05-13 (10:00 New York).
 * Thursday 2026-05-14 14:00Z is the day after payment: the example packet is on time and its gate says
 * review (only crm-item-exists, monday.com not being configured).
 */
export const signed = '2026-05-12';
export const paid = '2026-05-13T14:00:00Z';
export const start = '2026-05-14T14:00:00Z';

export const actor = (role: ActorRole, name: string): ActorRef => ({ role, name, via: 'cli' });
export const carla = actor('cro', 'Carla Reyes');
export const sam = actor('sales.ops', 'Sam Ortiz');
export const casey = actor('customer.success', 'Casey Lin');
export const cam = actor('customer.success', 'Cam Diallo');
export const chris = actor('chief.staff', 'Chris Moss');
export const dana = actor('ceo', 'Dana Park');
export const system: ActorRef = { role: 'system', name: 'baton', via: 'system' };

export const sha256 = (content: string | Buffer): string =>
  createHash('sha256').update(content).digest('hex');

/** The example packet for another SOW number (its executed SOW copied under the root by `createWorld`). */
export function packetFor(sow: string, text = examplePacket): string {
  return text.replaceAll(SOW, sow);
}

/** Ways to break the example packet, each failing one check of the gate. */
export const breakages = {
  'payment-pending': (t: string) => t.replace('2026-05-13; received; ACH', '2026-05-13; pending; ACH'),
  placeholder: (t: string) =>
    t.replace('| Industry | B2B SaaS (security operations) |', '| Industry | TBD |'),
  'scope-deviation': (t: string) =>
    t.replace(
      '| Scope deviations from standard SOW | — |',
      '| Scope deviations from standard SOW | A fourth module on partner program design, agreed verbally |',
    ),
  'expectation-misaligned': (t: string) =>
    t.replace(
      '"A clear picture of where partner revenue leaks and a prioritized list of fixes we can take to the board"',
      'Implementation of a new partner portal and ongoing managed services',
    ),
} as const;
export type Breakage = keyof typeof breakages;
/** The check each breakage fails. */
export const failedCheckOf: Record<Breakage, string> = {
  'payment-pending': 'payment-confirmed',
  placeholder: 'required-fields',
  'scope-deviation': 'scope-alignment',
  'expectation-misaligned': 'expectation-alignment',
};
export const broken = (kind: Breakage, text = examplePacket): string => {
  const out = breakages[kind](text);
  if (out === text) throw new Error(`breakage ${kind} changed nothing`);
  return out;
};

export interface World {
  baton: Baton;
  root: string;
  place: TestPlace;
  setNow(instant: string): void;
  /** Moves the clock forward. */
  advance(duration: Temporal.DurationLike): void;
  now(): string;
  /** A second Baton on the same store (its own connection), root and clock, as another process would be. */
  another(worker: string): Promise<Baton>;
  /** Reads a file under the root. */
  read(rel: string): string;
  exists(rel: string): boolean;
  /** Every file under the root (except the SQLite store) with its sha256: to show nothing changed. */
  snapshot(): Record<string, string>;
}

/** Extra SOW numbers whose executed SOW is present under the root, for worlds with several handoffs. */
export const otherSows = ['SOW-2026-015', 'SOW-2026-016', 'SOW-2026-017'];

export async function createWorld(place: TestPlace, options: { now?: string } = {}): Promise<World> {
  cpSync(join(project, 'examples/northwind'), place.root, { recursive: true });
  const sowPdf = join(place.root, 'legal/sow', `${SOW}-executed.pdf`);
  for (const other of otherSows) cpSync(sowPdf, join(place.root, 'legal/sow', `${other}-executed.pdf`));
  const playbook = await loadPlaybook(undefined);
  let now = Temporal.Instant.from(options.now ?? start);
  const batonOn = async (worker: string): Promise<Baton> => ({
    root: place.root,
    playbook,
    calendar: calendarFor(playbook),
    store: await place.open(),
    now: () => now,
    nowEpochMilliseconds: () => now.epochMilliseconds,
    planners: [],
    handlers: { 'file.write': fileWriteHandler(place.root) },
    worker,
  });
  const baton = await batonOn('app-test-1');
  return {
    baton,
    root: place.root,
    place,
    setNow(instant) {
      now = Temporal.Instant.from(instant);
    },
    advance(duration) {
      now = now.add(Temporal.Duration.from(duration));
    },
    now: () => now.toString(),
    another: batonOn,
    read: (rel) => readFileSync(join(place.root, rel), 'utf8'),
    exists: (rel) => existsSync(join(place.root, rel)),
    snapshot() {
      const out: Record<string, string> = {};
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if (statSync(path).isDirectory()) {
            if (name !== '.baton') walk(path);
          } else out[relative(place.root, path)] = sha256(readFileSync(path));
        }
      };
      walk(place.root);
      return out;
    },
  };
}
