// `baton gate` run without commander (what bin/baton.js does for its plain forms) against the same
// arguments through main(): the same output, errors and exit codes, and commander's for everything else.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runGateFast } from '../../../src/interfaces/cli/gate-command.ts';
import { main } from '../../../src/interfaces/cli/main.ts';
import type { Io } from '../../../src/interfaces/cli/output.ts';

const project = join(import.meta.dirname, '../../..');
const packetRel = 'operations/handoffs/assessments/SOW-2026-014-handoff-packet.md';

function captured() {
  const io = { out: '', err: '' };
  const sink: Io = {
    out: (t) => {
      io.out += t;
    },
    err: (t) => {
      io.err += t;
    },
    isTty: false,
  };
  return { io, sink };
}

describe('baton gate without commander', () => {
  let root: string;
  let saved: string | undefined;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'baton-gate-fast-'));
    cpSync(join(project, 'examples/northwind'), root, { recursive: true });
    writeFileSync(join(root, 'not-a-packet.md'), 'just some notes\n');
    writeFileSync(
      join(root, 'failing.md'),
      '# Assessment Handoff Packet: SOW-2026-099\n\n## Customer Context Brief\n\n| Field | Value |\n| --- | --- |\n| Company name | TBD |\n',
    );
    saved = process.env.BATON_NOW;
    process.env.BATON_NOW = '2026-05-14T14:00:00Z';
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    if (saved === undefined) delete process.env.BATON_NOW;
    else process.env.BATON_NOW = saved;
  });

  it('prints what main() prints and exits as it does, for every plain form', async () => {
    const packet = join(root, packetRel);
    const forms = [
      ['gate', packet, '--json', '--root', root],
      ['gate', '--root', root, packet, '--json'],
      ['gate', packet, '--root', root],
      ['gate', join(root, 'failing.md'), '--root', root, '--json'],
      ['gate', join(root, 'not-a-packet.md'), '--json', '--root', root],
      ['gate', join(root, 'missing.md'), '--root', root],
    ];
    const codes = new Set<number>();
    for (const argv of forms) {
      const fast = captured();
      const full = captured();
      const fastCode = await runGateFast(argv, fast.sink);
      const fullCode = await main(argv, full.sink);
      assert.equal(fastCode, fullCode, argv.join(' '));
      assert.deepEqual(fast.io, full.io, argv.join(' '));
      codes.add(fullCode);
    }
    // The forms cover a pass or review, a fail, and refusals.
    assert.deepEqual([...codes].sort(), [0, 1, 2]);
  });

  it('leaves every other form to main(): help, other options, --opt=value, no file, two files', async () => {
    const packet = join(root, packetRel);
    for (const argv of [
      ['gate'],
      ['gate', '--help'],
      ['gate', packet, '--verbose'],
      ['gate', packet, `--root=${root}`],
      ['gate', packet, '--root'],
      ['gate', packet, packet],
      ['gate', packet, '--root', '--json'],
      ['gate', packet, '--json', '--playbook', join(root, 'playbook.json')],
      ['status', 'SOW-2026-014'],
    ]) {
      const { io, sink } = captured();
      assert.equal(await runGateFast(argv, sink), undefined, argv.join(' '));
      assert.deepEqual(io, { out: '', err: '' });
    }
    process.env.BATON_PLAYBOOK = join(root, 'playbook.json');
    try {
      assert.equal(await runGateFast(['gate', packet, '--json'], captured().sink), undefined);
    } finally {
      delete process.env.BATON_PLAYBOOK;
    }
  });
});
