// The environment read at the edge: the root, the playbook file and the clock (BATON_NOW or the system's),
// as an instant and as milliseconds, which must agree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environmentFrom } from '../../src/app/environment.ts';
import { AppError } from '../../src/app/errors.ts';

describe('environmentFrom', () => {
  it('takes the options first, then BATON_* variables, then the current directory', () => {
    const vars = { BATON_ROOT: '/srv/claude', BATON_PLAYBOOK: '/srv/company.yaml' };
    assert.equal(environmentFrom(vars, { cwd: '/here' }).root, '/srv/claude');
    assert.equal(environmentFrom(vars, { cwd: '/here', root: '/there' }).root, '/there');
    assert.equal(environmentFrom({}, { cwd: '/here' }).root, '/here');
    assert.equal(environmentFrom(vars, { cwd: '/here' }).playbookFile, '/srv/company.yaml');
    assert.equal(environmentFrom({}, { cwd: '/here' }).playbookFile, undefined);
  });

  it('BATON_NOW fixes both clocks to the same instant', () => {
    const env = environmentFrom({ BATON_NOW: '2026-05-14T10:00:00-04:00' }, { cwd: '/' });
    assert.equal(env.now().toString(), '2026-05-14T14:00:00Z');
    assert.equal(env.nowEpochMilliseconds?.(), Date.parse('2026-05-14T14:00:00Z'));
  });

  it('without BATON_NOW both clocks are the system clock', () => {
    const env = environmentFrom({}, { cwd: '/' });
    const before = Date.now();
    const instant = env.now().epochMilliseconds;
    const ms = env.nowEpochMilliseconds?.() ?? Number.NaN;
    const after = Date.now();
    for (const t of [instant, ms]) assert.ok(t >= before && t <= after, `${t} in [${before}, ${after}]`);
  });

  it('refuses a BATON_NOW that is not an instant, naming it', () => {
    assert.throws(
      () => environmentFrom({ BATON_NOW: 'tomorrow' }, { cwd: '/' }),
      (e) => e instanceof AppError && e.kind === 'bad-input' && /BATON_NOW/.test(e.message),
    );
  });
});
