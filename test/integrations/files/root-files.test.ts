import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathUnderRoot, probeUnderRoot } from '../../../src/integrations/files/root-files.ts';

describe('probeUnderRoot', () => {
  let base: string;
  let root: string;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'baton-root-'));
    root = join(base, 'root');
    mkdirSync(join(root, 'legal/sow'), { recursive: true });
    writeFileSync(join(root, 'legal/sow/a.pdf'), 'signed');
    writeFileSync(join(root, 'legal/sow/empty.pdf'), '');
    writeFileSync(join(base, 'secret.txt'), 'outside');
    symlinkSync(join(base, 'secret.txt'), join(root, 'legal/sow/escape.pdf'));
    symlinkSync(join(root, 'legal/sow/a.pdf'), join(root, 'legal/sow/inside-link.pdf'));
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('finds a file with its size', () => {
    assert.deepEqual(probeUnderRoot(root, 'legal/sow/a.pdf'), {
      kind: 'file',
      size: 6,
      path: join(root, 'legal/sow/a.pdf'),
    });
  });
  it('says an empty file is empty (size 0), a folder is a folder, a missing file is missing', () => {
    assert.equal((probeUnderRoot(root, 'legal/sow/empty.pdf') as { size: number }).size, 0);
    assert.equal(probeUnderRoot(root, 'legal/sow').kind, 'directory');
    assert.equal(probeUnderRoot(root, 'legal/sow/none.pdf').kind, 'missing');
  });
  it('refuses .. segments even when they would land back inside', () => {
    assert.equal(probeUnderRoot(root, '../secret.txt').kind, 'outside-root');
    assert.equal(probeUnderRoot(root, 'legal/../legal/sow/a.pdf').kind, 'outside-root');
  });
  it('refuses an absolute path elsewhere, accepts one under the root', () => {
    assert.equal(probeUnderRoot(root, join(base, 'secret.txt')).kind, 'outside-root');
    assert.equal(probeUnderRoot(root, '/etc/passwd').kind, 'outside-root');
    assert.equal(probeUnderRoot(root, join(root, 'legal/sow/a.pdf')).kind, 'file');
  });
  it('refuses a symlink that leaves the root, follows one that stays', () => {
    const leaving = probeUnderRoot(root, 'legal/sow/escape.pdf');
    assert.equal(leaving.kind, 'outside-root');
    assert.equal(probeUnderRoot(root, 'legal/sow/inside-link.pdf').kind, 'file');
  });
  it('pathUnderRoot refuses to write outside the root', () => {
    assert.throws(() => pathUnderRoot(root, '../x.md'), /outside the knowledge root/);
    assert.equal(pathUnderRoot(root, 'operations/x.md'), join(root, 'operations/x.md'));
  });
});
