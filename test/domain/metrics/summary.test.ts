import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  escapeMarkdown,
  escapeSlack,
  metricsFor,
  renderWeeklySummary,
  slackSummaryText,
  summaryWanted,
  weekPeriod,
} from '../../../src/domain/metrics/index.ts';
import { A, B, C, histories, options } from './metrics-fixture.ts';

const week = (w: string) => metricsFor(histories(), weekPeriod(w, 'America/New_York'), options);

describe('the CEO Weekly Summary section', () => {
  it('is wanted only when assessment deals were active (Section 9)', () => {
    assert.equal(summaryWanted(week('2026-W28')), true);
    assert.equal(summaryWanted(week('2026-W20')), false);
  });

  it('has the week, the active deals, the figures beside the week before, the failures and the chart', () => {
    const md = renderWeeklySummary(week('2026-W28'), {
      chartFile: 'handoff-quality-2026-W28.svg',
      previous: week('2026-W27'),
      deltas: [
        {
          id: 'DELTA-2026-0710-check-contacts-complete',
          path: 'operations/sop-deltas/DELTA-2026-0710-check-contacts-complete.md',
        },
      ],
    });
    const lines = md.split('\n');
    assert.equal(lines[0], '### Assessment handoff quality, 2026-W28 (Jul 6–12, 2026)');
    assert.match(md, new RegExp(`Active assessment deals: 3 \\(${A}, ${B}, ${C}\\)`));
    assert.ok(lines.includes('| Measure | 2026-W28 | 2026-W27 |'));
    assert.ok(lines.includes('| First-pass gate pass rate | 33% (1 of 3) | no reviews |'));
    assert.ok(lines.includes('| Overall gate pass rate | 50% (2 of 4) | no reviews |'));
    assert.ok(
      lines.includes(
        '| Remediation frequency (rejections per handoff reviewed) | 0.67 (2 rejections, 3 handoffs) | no reviews |',
      ),
    );
    assert.ok(
      lines.includes(
        '| Time to acknowledge, median (business / wall clock) | 3.5 h / 47.5 h | none acknowledged |',
      ),
    );
    assert.ok(
      lines.includes(
        '| Time to acknowledge, 90th percentile (business / wall clock) | 3.9 h / 82.3 h | none acknowledged |',
      ),
    );
    assert.ok(lines.includes('| Clocks met / missed | 9 / 3 | 1 / 0 |'));
    assert.ok(lines.includes('| Escalations / incidents | 1 / 1 | 0 / 0 |'));
    assert.ok(
      lines.includes(
        '- Clocks missed: remediation due 1; kickoff scheduled 1; discovery session scheduled 1.',
      ),
    );
    assert.match(
      md,
      /- Checks that failed most: contacts-complete 2× \(SOW-2026-031, SOW-2026-033\); required-fields 1×/,
    );
    assert.match(md, /- SOP Delta proposals drafted for review: DELTA-2026-0710-check-contacts-complete/);
    assert.match(
      md,
      /!\[Gate pass rate and time to acknowledge, last weeks to 2026-W28\]\(handoff-quality-2026-W28\.svg\)/,
    );
  });

  it('escapes markdown in everything it quotes', () => {
    assert.equal(escapeMarkdown('a|b [x](y) <b>*'), 'a\\|b \\[x\\]\\(y\\) \\<b\\>\\*');
    const md = renderWeeklySummary(week('2026-W28'), {
      chartFile: 'x.svg',
      deltas: [{ id: '<img src=x onerror=alert(1)>', path: '[evil](javascript:x)' }],
    });
    assert.ok(md.includes('\\<img src=x onerror=alert\\(1\\)\\>'));
    assert.doesNotMatch(md, /(?<!\\)</, 'no unescaped <');
    assert.ok(!md.includes('](javascript'));
  });
});

describe('the Slack message', () => {
  it('carries the same figures, escaped for mrkdwn', () => {
    const text = slackSummaryText(week('2026-W28'));
    assert.match(text, /^\*Assessment handoff quality, 2026-W28\* \(Jul 6–12, 2026\)/);
    assert.match(text, /First-pass gate pass rate: 33% \(1 of 3\)/);
    assert.match(text, /Time to acknowledge: median 3.5 h, p90 3.9 h \(business hours\)/);
    assert.match(
      text,
      /Clocks missed: remediation due 1, kickoff scheduled 1, discovery session scheduled 1/,
    );
    assert.equal(escapeSlack('<!channel> & <@U1>'), '&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });
});
