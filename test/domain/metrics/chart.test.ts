import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  metricsForPeriods,
  renderQualityChart,
  type WeeklyPoint,
  weeklyPoint,
  weeksEndingWith,
} from '../../../src/domain/metrics/index.ts';
import { histories, options } from './metrics-fixture.ts';
import { all, parseSvg, titleOf } from './svg-reader.ts';

const points = (): WeeklyPoint[] =>
  metricsForPeriods(histories(), weeksEndingWith('2026-W29', 8, 'America/New_York'), options).map(
    weeklyPoint,
  );

describe('the weekly summary chart (SVG)', () => {
  it('is a valid SVG document with a title, a description of every week and a label per week', () => {
    const svg = parseSvg(renderQualityChart(points(), { ackBudgetHours: 8 }));
    assert.equal(svg.tag, 'svg');
    assert.equal(svg.attributes.xmlns, 'http://www.w3.org/2000/svg');
    assert.equal(titleOf(svg), 'Handoff quality, 2026-W22 to 2026-W29');
    const desc = all(svg, 'desc')[0]?.text ?? '';
    assert.match(
      desc,
      /2026-W28: first-pass 33%, overall 50%, median time to acknowledge 3.5 business hours/,
    );
    assert.match(desc, /2026-W22: first-pass no reviews/);
    const labels = all(svg, 'text').map((t) => t.text);
    for (const w of ['2026-W22', '2026-W27', '2026-W28', '2026-W29']) assert.ok(labels.includes(w), w);
    assert.ok(labels.includes('4 reviews'));
  });

  it('draws a marker per week with reviews and leaves a gap where there were none', () => {
    const svg = parseSvg(renderQualityChart(points()));
    const circles = all(svg, 'circle').map(titleOf);
    // W28 has both rates; W29 has an overall rate only (no version 1 was decided); the rest have none.
    assert.deepEqual(circles.sort(), [
      '2026-W28 first-pass pass rate 33%',
      '2026-W28 overall pass rate 50%',
      '2026-W29 overall pass rate 0%',
    ]);
    // One median bar (W28); W29 acknowledged nothing.
    const bars = all(svg, 'rect').filter((r) => titleOf(r) !== undefined);
    assert.deepEqual(bars.map(titleOf), ['2026-W28 median 3.5 business hours']);
    assert.equal(all(svg, 'polyline').length, 1, 'one overall-rate segment, W28 to W29');
  });

  it('escapes every text it is given', () => {
    const hostile = '<script>alert("x")</script> & \'quotes\'';
    const svg = renderQualityChart(
      [
        {
          week: hostile,
          from: '2026-01-01',
          reviews: 1,
          firstPassRate: 1,
          overallPassRate: 0.5,
          ackBusinessHoursMedian: 2,
          ackBusinessHoursP90: 3,
        },
      ],
      { title: hostile },
    );
    assert.ok(!svg.includes('<script>'));
    const doc = parseSvg(svg);
    assert.equal(all(doc, 'script').length, 0);
    assert.equal(titleOf(doc), hostile);
    assert.ok(all(doc, 'text').some((t) => t.text === hostile));
  });

  it('is valid with no weeks at all, and with weeks that have no figures', () => {
    parseSvg(renderQualityChart([]));
    const empty = points().map((p) => ({
      ...p,
      reviews: 0,
      firstPassRate: null,
      overallPassRate: null,
      ackBusinessHoursMedian: null,
      ackBusinessHoursP90: null,
    }));
    const doc = parseSvg(renderQualityChart(empty));
    assert.equal(all(doc, 'circle').length, 0);
    assert.equal(all(doc, 'polyline').length, 0);
  });
});
