/**
 * `baton demo`: a knowledge root with realistic handoffs in every state, made by running the real
 * commands through the service layer with the clock set for each step (as BATON_NOW would), so the
 * store, its events, projections, outbox and files are exactly what use would have left. Times are
 * placed relative to when the demo is seeded, so the open clocks still have time left when you look.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Temporal } from 'temporal-polyfill';
import { localDate } from '../domain/calendar/index.ts';
import { escapeCell, sowPath } from '../domain/packet/index.ts';
import type { ActorRef, Role } from '../domain/workflow/index.ts';
import { pathUnderRoot } from '../integrations/files/root-files.ts';
import { AppError } from './errors.ts';
import type { Baton } from './handoff-context.ts';
import { sweep } from './handoff-queries.ts';
import {
  acknowledgePacket,
  flagHandoff,
  openHandoff,
  rejectPacket,
  scheduleDiscovery,
  sendIntroduction,
  submitPacket,
} from './handoffs.ts';
import { isoUtc } from './time.ts';
import { addUser } from './users.ts';

export interface DemoUser {
  name: string;
  role: Role;
  token: string;
}

export interface DemoHandoff {
  sow: string;
  company: string;
  /** What this handoff shows in the demo. */
  story: string;
}

export interface DemoResult {
  /** False when the root was seeded before (nothing was changed). */
  seeded: boolean;
  users: DemoUser[];
  handoffs: DemoHandoff[];
  /** Where the tokens are kept (root-relative). */
  tokensFile: string;
}

/** Where the demo keeps its users' tokens, so that later starts can say how to sign in. */
export const demoTokensFile = '.baton/demo-tokens.json';

const demoPeople: { name: string; role: Role }[] = [
  { name: 'Morgan Avery', role: 'cro' },
  { name: 'Riley Brooks', role: 'sales.ops' },
  { name: 'Jordan Patel', role: 'customer.success' },
  { name: 'Alex Kim', role: 'customer.success' },
  { name: 'Taylor Quinn', role: 'chief.staff' },
  { name: 'Sasha Ward', role: 'ceo' },
];

interface Company {
  sow: string;
  company: string;
  industry: string;
  dealItem: string;
  champion: string;
  sponsor: string;
  technical: string;
  scheduling: string;
  story: string;
}

const companies: Company[] = [
  {
    sow: 'SOW-2026-101',
    company: 'Harbor Analytics, Inc.',
    industry: 'B2B SaaS (data observability)',
    dealItem: '8812401',
    champion: 'Maya Chen; VP Alliances; maya.chen@harbor-analytics.io; +1 617 867 4410',
    sponsor: 'Tom Alvarez; Chief Revenue Officer',
    technical: 'Ravi Shah; Partner Operations Manager; ravi.shah@harbor-analytics.io',
    scheduling: 'Lena Ortiz; lena.ortiz@harbor-analytics.io',
    story: 'opened: paid yesterday, the CRO is drafting the packet',
  },
  {
    sow: 'SOW-2026-102',
    company: 'Bluebird Logistics Cloud',
    industry: 'Supply-chain SaaS',
    dealItem: '8812402',
    champion: 'Owen Price; Director of Partnerships; owen.price@bluebird-cloud.com; +1 312 664 9021',
    sponsor: 'Grace Liu; SVP Revenue',
    technical: 'Ana Costa; RevOps Lead; ana.costa@bluebird-cloud.com',
    scheduling: 'Owen Price; owen.price@bluebird-cloud.com',
    story: 'submitted: awaiting customer.success, with a quality concern flagged by the Chief of Staff',
  },
  {
    sow: 'SOW-2026-103',
    company: 'Kestrel Security Group',
    industry: 'Managed security services',
    dealItem: '8812403',
    champion: 'Priya Raman; Head of Channel; priya.raman@example.com; +1 206 448 1093',
    sponsor: 'Luis Romero; Chief Revenue Officer',
    technical: 'Ben Okoro; Partner Ops; ben.okoro@kestrel-sec.com',
    scheduling: 'Priya Raman; +1 206 448 1093',
    story: "rejected: the champion's email is a placeholder; remediation is due",
  },
  {
    sow: 'SOW-2026-104',
    company: 'Tidewater Health Systems',
    industry: 'Health-tech platform',
    dealItem: '8812404',
    champion: 'Hannah Scott; VP Ecosystem; hannah.scott@tidewater-health.com; +1 919 332 7781',
    sponsor: 'Marcus Bell; Chief Commercial Officer',
    technical: 'Ivy Nguyen; Alliances Analyst; ivy.nguyen@tidewater-health.com',
    scheduling: 'Ivy Nguyen; ivy.nguyen@tidewater-health.com',
    story: 'acknowledged: the kickoff must be scheduled',
  },
  {
    sow: 'SOW-2026-105',
    company: 'Summit Payroll Co.',
    industry: 'HR and payroll SaaS',
    dealItem: '8812405',
    champion: 'Diego Morales; Partner Programs Director; diego.morales@summitpayroll.co; +1 512 771 2093',
    sponsor: 'Erin Walsh; Chief Revenue Officer',
    technical: 'Kai Turner; Partner Ops Lead; kai.turner@summitpayroll.co',
    scheduling: 'Nora Hill; nora.hill@summitpayroll.co',
    story: 'scheduled: the discovery session is booked and the warm introduction went out',
  },
  {
    sow: 'SOW-2026-106',
    company: 'Granite Fintech Partners',
    industry: 'Fintech infrastructure',
    dealItem: '8812406',
    champion: 'Sofia Marin; VP Partnerships; sofia.marin@granite-fintech.com; +1 646 905 3321',
    sponsor: 'Paul Becker; President',
    technical: 'Yuki Tanaka; Integrations Lead; yuki.tanaka@granite-fintech.com',
    scheduling: 'Sofia Marin; sofia.marin@granite-fintech.com',
    story:
      'overdue: no packet two weeks after payment; the sweep recorded the missed clocks and filed a SEV2 incident',
  },
  {
    sow: 'SOW-2026-107',
    company: 'Lumen Retail Cloud',
    industry: 'Retail commerce SaaS',
    dealItem: '8812407',
    champion: 'Chloe Adams; Director of Alliances; chloe.adams@lumenretail.io; +1 415 290 6618',
    sponsor: 'Victor Hale; CRO',
    technical: 'Sam Reid; Partner Engineer; sam.reid@lumenretail.io',
    scheduling: 'Chloe Adams; chloe.adams@lumenretail.io',
    story:
      'rejected twice: the gate failed twice, so the Chief of Staff owns an escalation and a SEV2 incident is open',
  },
  {
    sow: 'SOW-2026-108',
    company: 'Orbit Media Labs',
    industry: 'Media-tech platform',
    dealItem: '8812408',
    champion: 'Iris Fontaine; Head of Partnerships; iris.fontaine@orbitmedialabs.com; +1 323 581 4477',
    sponsor: 'Noah Grant; Chief Revenue Officer',
    technical: 'Zane Cole; Partner Data Lead; zane.cole@orbitmedialabs.com',
    scheduling: 'Iris Fontaine; iris.fontaine@orbitmedialabs.com',
    story: 'submitted with a scope deviation: waiting on the CEO',
  },
];

/** Sets one `| Label | value |` row of a packet (the example's table layout). */
function withField(packet: string, label: string, value: string): string {
  const row = new RegExp(`^\\| ${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\|.*\\|$`, 'm');
  if (!row.test(packet)) throw new Error(`the example packet has no row "${label}"`);
  return packet.replace(row, () => `| ${label} | ${escapeCell(value)} |`);
}

/** The bundled example packet, made into this company's (its own SOW, names, dates). */
export function demoPacket(
  example: string,
  c: Company,
  dates: { signed: string; paid: string; paymentStatus?: string },
): string {
  let text = example.replace(/SOW-\d{4}-\d{3,}/g, c.sow);
  const set = (label: string, value: string) => {
    text = withField(text, label, value);
  };
  set('Company name', c.company);
  set('Industry', c.industry);
  set('CRM/Monday.com deal ID', `https://ecomonetize.monday.com/boards/4412093/pulses/${c.dealItem}`);
  set('SOW signed', `${dates.signed}; v0.1; legal/sow/${c.sow}-executed.pdf`);
  set('Payment confirmed', `${dates.paid}; ${dates.paymentStatus ?? 'received'}; ACH`);
  set('Customer-side champion', c.champion);
  set('Executive sponsor', c.sponsor);
  set('Technical POC', c.technical);
  set('Scheduling contact', c.scheduling);
  const [first] = c.champion.split(';');
  set(
    'Stakeholders expected at readout',
    `${first?.trim()}; ${c.sponsor.split(';')[0]?.trim()}; partner ops lead`,
  );
  return text;
}

export interface DemoSource {
  /** The bundled example packet (examples/northwind/...). */
  packet: string;
  /** The bundled example SOW pdf, copied for each demo SOW. */
  sowPdf: Uint8Array;
}

async function hasData(baton: Baton): Promise<boolean> {
  const row = await baton.store.db.selectFrom('handoffs').select('sow').limit(1).executeTakeFirst();
  const user = await baton.store.db.selectFrom('users').select('name').limit(1).executeTakeFirst();
  return row !== undefined || user !== undefined;
}

/** The demo users and handoffs recorded by an earlier seeding, or undefined when the root has none. */
export async function readDemo(root: string): Promise<DemoResult | undefined> {
  try {
    const saved = JSON.parse(await readFile(join(root, demoTokensFile), 'utf8')) as Omit<
      DemoResult,
      'seeded'
    >;
    return { ...saved, seeded: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Seeds the demo once: users per role (tokens kept in `.baton/demo-tokens.json`, readable by the owner
 * only), SOW files, packets and eight handoffs in every state. A root seeded before is left as it is; a
 * root holding other data is refused (the demo never mixes with real handoffs).
 */
export async function seedDemo(
  baton: Baton,
  source: DemoSource,
  progress: (line: string) => void = () => {},
): Promise<DemoResult> {
  const earlier = await readDemo(baton.root);
  if (earlier) return earlier;
  if (await hasData(baton))
    throw new AppError(
      'conflict',
      `${baton.root} already holds handoffs or users that are not the demo's; give baton demo an empty --root`,
      'root',
    );
  const anchor = baton.now();
  const zone = baton.calendar.config.timeZone;
  const ago = (hours: number) => anchor.subtract({ hours });
  const dayOf = (at: Temporal.Instant) => localDate(at, baton.calendar).toString();
  const as = (at: Temporal.Instant): Baton => ({ ...baton, now: () => at });

  const users: DemoUser[] = [];
  for (const p of demoPeople) {
    const { token } = await addUser(baton, p.name, p.role);
    users.push({ ...p, token });
  }
  const actor = (role: Role, n = 0): ActorRef => {
    const person = demoPeople.filter((p) => p.role === role)[n];
    if (!person) throw new Error(`no demo ${role}`);
    return { role, name: person.name, via: 'cli' };
  };
  const cro = actor('cro');
  const salesOps = actor('sales.ops');
  const cs = actor('customer.success');
  const cs2 = actor('customer.success', 1);
  const chief = actor('chief.staff');

  for (const c of companies) {
    const file = pathUnderRoot(baton.root, `legal/sow/${c.sow}-executed.pdf`);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, source.sowPdf);
  }
  const company = (sow: string) => companies.find((c) => c.sow === sow) as Company;
  const open = async (sow: string, signedHoursAgo: number, paidHoursAgo: number) => {
    const paid = ago(paidHoursAgo);
    await openHandoff(as(paid), cro, {
      sow,
      sowSigned: dayOf(ago(signedHoursAgo)),
      paymentConfirmed: isoUtc(paid),
      sold: dayOf(ago(signedHoursAgo + 48)),
    });
    return { signed: dayOf(ago(signedHoursAgo)), paid: dayOf(paid) };
  };
  const writeDraft = async (sow: string, text: string) => {
    const path = pathUnderRoot(baton.root, sowPath(baton.playbook.paths.packet, sow));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, 'utf8');
  };
  const submit = (sow: string, hoursAgo: number, text: string, who: ActorRef = cro) =>
    submitPacket(as(ago(hoursAgo)), who, sow, { text });
  const packetOf = (sow: string, dates: { signed: string; paid: string }) =>
    demoPacket(source.packet, company(sow), dates);
  const attestCrm = [
    { check: 'crm-item-exists' as const, reason: 'Checked the deal item in Monday.com by hand' },
  ];
  const step = (sow: string) => progress(`${sow}: ${company(sow).story}`);

  // 101 opened: paid yesterday, a draft written, nothing submitted.
  {
    const sow = 'SOW-2026-101';
    const dates = await open(sow, 26, 20);
    await writeDraft(sow, packetOf(sow, dates));
    step(sow);
  }
  // 102 submitted (by sales.ops for the CRO), awaiting review; flagged by the Chief of Staff.
  {
    const sow = 'SOW-2026-102';
    const dates = await open(sow, 50, 46);
    await submit(sow, 4, packetOf(sow, dates), salesOps);
    await flagHandoff(
      as(ago(2)),
      chief,
      sow,
      'The sponsor has not confirmed attendance at the readout; check before kickoff',
    );
    step(sow);
  }
  // 103 rejected: a placeholder email for the champion.
  {
    const sow = 'SOW-2026-103';
    const dates = await open(sow, 50, 48);
    await submit(sow, 6, packetOf(sow, dates));
    await rejectPacket(as(ago(5)), cs, sow, {
      checks: ['contacts-complete'],
      reason: "The champion's email is at example.com; we need the real address to book discovery",
    });
    step(sow);
  }
  // 104 acknowledged: the kickoff clock runs.
  {
    const sow = 'SOW-2026-104';
    const dates = await open(sow, 74, 72);
    await submit(sow, 20, packetOf(sow, dates));
    await acknowledgePacket(as(ago(3)), cs2, sow, attestCrm);
    step(sow);
  }
  // 105 scheduled, with the warm introduction sent.
  {
    const sow = 'SOW-2026-105';
    const dates = await open(sow, 98, 96);
    await submit(sow, 72, packetOf(sow, dates));
    await acknowledgePacket(as(ago(50)), cs, sow, attestCrm);
    const discovery = anchor.toZonedDateTimeISO(zone).add({ days: 2 }).withPlainTime('10:00').toInstant();
    await scheduleDiscovery(
      as(ago(48)),
      cs,
      sow,
      discovery.toZonedDateTimeISO(zone).toString({ timeZoneName: 'never' }),
    );
    await sendIntroduction(as(ago(47)), cro, sow);
    step(sow);
  }
  // 106 overdue: paid almost two weeks ago, no packet; the sweep below records it.
  {
    const sow = 'SOW-2026-106';
    const dates = await open(sow, 14 * 24, 13 * 24);
    await writeDraft(
      sow,
      packetOf(sow, dates).replace(
        /^\| Delivery timeline promised \|.*$/m,
        '| Delivery timeline promised | TBD |',
      ),
    );
    step(sow);
  }
  // 107 failed the gate twice: an escalation to the Chief of Staff and a SEV2 incident.
  {
    const sow = 'SOW-2026-107';
    const dates = await open(sow, 74, 72);
    const good = packetOf(sow, dates);
    const pending = withField(good, 'Payment confirmed', `${dates.paid}; pending; ACH`);
    await submit(sow, 30, pending);
    await rejectPacket(as(ago(28)), cs, sow, {
      checks: ['payment-confirmed'],
      reason: 'The packet says payment is pending',
    });
    await submit(sow, 8, withField(pending, 'Executive sponsor', 'TBD'));
    await rejectPacket(as(ago(7)), cs2, sow, {
      checks: ['payment-confirmed', 'required-fields'],
      reason: 'Still pending, and now the executive sponsor is missing',
    });
    step(sow);
  }
  // 108 submitted with a scope deviation: escalated to the CEO.
  {
    const sow = 'SOW-2026-108';
    const dates = await open(sow, 28, 26);
    const text = withField(
      packetOf(sow, dates),
      'Scope deviations from standard SOW',
      'Adds a fourth workshop on partner marketing attribution',
    );
    await submit(sow, 2, text);
    step(sow);
  }
  // The Chief of Staff's sweep now: missed clocks recorded, the discovery miss files its SEV2 incident.
  await sweep(baton, chief);
  progress('the daily sweep ran');

  const result: DemoResult = {
    seeded: true,
    users,
    handoffs: companies.map((c) => ({ sow: c.sow, company: c.company, story: c.story })),
    tokensFile: demoTokensFile,
  };
  const tokens = join(baton.root, demoTokensFile);
  await mkdir(dirname(tokens), { recursive: true });
  const { seeded: _, ...saved } = result;
  await writeFile(tokens, `${JSON.stringify(saved, null, 2)}\n`, { encoding: 'utf8', mode: 0o600 });
  await chmod(tokens, 0o600);
  return result;
}
