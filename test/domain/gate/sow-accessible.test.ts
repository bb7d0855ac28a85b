import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileProbe, FileProbeResult } from '../../../src/domain/gate/index.ts';
import { assertFinding, assertPass, check, example, lineOf, withRow } from './gate-fixture.ts';

const field = 'SOW signed';
const line = lineOf(field);

/** A probe that records the paths it is asked about and answers `answer`. */
function recordingProbe(answer: FileProbeResult = { kind: 'file', size: 2048 }) {
  const asked: string[] = [];
  const probe: FileProbe = (path) => {
    asked.push(path);
    return answer;
  };
  return { asked, probe };
}

function sow(value: string, answer?: FileProbeResult) {
  const { asked, probe } = recordingProbe(answer);
  return { result: check('sow-accessible', withRow(field, value), { files: probe }), asked };
}

describe('sow-accessible', () => {
  it('passes the spec example and probes its path under the root', () => {
    const { asked, probe } = recordingProbe();
    assertPass(check('sow-accessible', example, { files: probe }));
    assert.deepEqual(asked, ['legal/sow/SOW-2026-014-executed.pdf']);
  });

  describe('missing parts fail', () => {
    it('no link', () => {
      const { result, asked } = sow('2026-05-12; v0.1');
      assertFinding(result, 'fail', { field, line, message: /link to the executed SOW is missing/ });
      assert.deepEqual(asked, []);
    });

    it('no date', () => {
      assertFinding(sow('v0.1; legal/sow/x.pdf').result, 'fail', {
        field,
        line,
        message: /date the SOW was signed is missing/,
      });
    });

    it('no version', () => {
      assertFinding(sow('2026-05-12; legal/sow/x.pdf').result, 'fail', {
        field,
        line,
        message: /SOW version is missing/,
      });
    });

    it('a blank field', () => {
      for (const value of ['', 'N/A']) {
        assertFinding(sow(value).result, 'fail', { field, line, message: /no SOW is given/ });
      }
    });

    it('placeholder text', () => {
      assertFinding(sow('TBD').result, 'fail', { field, line, message: /placeholder text "TBD"/ });
    });
  });

  describe('what the link points at', () => {
    const value = '2026-05-12; v0.1; legal/sow/SOW-2026-014-executed.pdf';

    it('no file there fails', () => {
      assertFinding(sow(value, { kind: 'missing' }).result, 'fail', {
        field,
        line,
        message: [/no file at "legal\/sow\/SOW-2026-014-executed.pdf"/, /knowledge root/],
      });
    });

    it('an empty file fails', () => {
      assertFinding(sow(value, { kind: 'file', size: 0 }).result, 'fail', {
        field,
        line,
        message: /SOW file "legal\/sow\/SOW-2026-014-executed.pdf" is empty/,
      });
    });

    it('a directory fails', () => {
      assertFinding(sow('2026-05-12; v0.1; legal/sow/', { kind: 'directory' }).result, 'fail', {
        field,
        line,
        message: /is a folder/,
      });
    });

    it('a path outside the root fails, with the probe’s reason', () => {
      const { result, asked } = sow('2026-05-12; v0.1; ../../etc/passwd.pdf', {
        kind: 'outside-root',
        reason: 'the path has a ".." segment',
      });
      assertFinding(result, 'fail', {
        field,
        line,
        message: [/points outside the knowledge root/, /"\.\." segment/],
      });
      assert.deepEqual(asked, ['../../etc/passwd.pdf']);
    });

    it('a non-empty file passes', () => {
      assertPass(sow(value, { kind: 'file', size: 1 }).result);
    });
  });

  describe('web links', () => {
    it('an https link is review and is not probed as a file', () => {
      const { result, asked } = sow('2026-05-12; v0.1; https://drive.google.com/file/d/abc/view');
      assertFinding(result, 'review', {
        field,
        line,
        message: [/web link/, /https:\/\/drive\.google\.com\/file\/d\/abc\/view/, /confirm/],
      });
      assert.deepEqual(asked, []);
    });

    it('another scheme (file:) fails', () => {
      const { result, asked } = sow('2026-05-12; v0.1; file:///etc/sow.pdf');
      assertFinding(result, 'fail', { field, line, message: /not a path under the knowledge root/ });
      assert.deepEqual(asked, []);
    });
  });

  describe('the SOP’s /Claude/ prefix means the knowledge root', () => {
    for (const link of [
      '/Claude/legal/sow/SOW-2026-014-executed.pdf',
      'Claude/legal/sow/SOW-2026-014-executed.pdf',
      './legal/sow/SOW-2026-014-executed.pdf',
      '[executed SOW](/Claude/legal/sow/SOW-2026-014-executed.pdf)',
    ]) {
      it(`${link} is probed as legal/sow/SOW-2026-014-executed.pdf`, () => {
        const { result, asked } = sow(`2026-05-12; v0.1; ${link}`);
        assertPass(result);
        assert.deepEqual(asked, ['legal/sow/SOW-2026-014-executed.pdf']);
      });
    }
  });
});
