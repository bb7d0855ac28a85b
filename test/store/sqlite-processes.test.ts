import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { listEffects, streamVersion, verifyChain } from '../../src/store/index.ts';
import { createTestPlace } from './dialects.ts';

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'sqlite-worker.ts'), ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('SQLite shared by two processes', () => {
  it('migrates a fresh file, appends to one stream and claims effects without clashing', async () => {
    const place = createTestPlace('sqlite'); // nothing opened yet: the workers race to create the file
    try {
      const perWorker = 40;
      const results = await Promise.all(
        ['one', 'two'].map((worker) => run([place.root, 'SOW-SHARED', String(perWorker), worker])),
      );
      for (const result of results) {
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stderr, '', 'no warnings or errors on stderr');
      }
      const claimed = results.flatMap((r) => (JSON.parse(r.stdout) as { claimed: string[] }).claimed);
      assert.equal(new Set(claimed).size, claimed.length, 'an effect was claimed twice');
      assert.equal(claimed.length, 2 * perWorker);

      const check = await place.open();
      assert.equal(await streamVersion(check.db, 'SOW-SHARED'), 2 * perWorker);
      assert.deepEqual(await verifyChain(check.db), { ok: true, events: 2 * perWorker });
      assert.equal((await listEffects(check.db, { status: 'done' })).length, 2 * perWorker);
    } finally {
      await place.cleanup();
    }
  });
});
