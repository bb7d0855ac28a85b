// The weekly summary's chart as hand-written SVG: two panels over the same weeks, pass rates above and
// time-to-acknowledge below. Every text is XML-escaped; the output is a standalone, valid XML document.

import type { WeeklyPoint } from './metrics.ts';

export interface ChartOptions {
  /** The chart's title (escaped). */
  title?: string;
  /** Business hours customer.success has to acknowledge (one business day): drawn as a reference line. */
  ackBudgetHours?: number;
}

/** Escapes text for XML character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

const WIDTH = 720;
const LEFT = 64;
const RIGHT = 24;
const RATE_TOP = 64;
const RATE_HEIGHT = 130;
const HOURS_TOP = 262;
const HOURS_HEIGHT = 110;
const HEIGHT = 440;
const COLOURS = {
  firstPass: '#1f6feb',
  overall: '#8250df',
  median: '#2da44e',
  p90: '#bf8700',
  grid: '#d0d7de',
  text: '#24292f',
  muted: '#57606a',
};

const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

/** A rounded-up axis maximum: 4, 8, 12, 16, 24, 32, 40, 48, then multiples of 24. */
function niceHours(max: number): number {
  for (const step of [4, 8, 12, 16, 24, 32, 40, 48]) if (max <= step) return step;
  return Math.ceil(max / 24) * 24;
}

/** A polyline per run of consecutive non-null rates, with a marker per point. */
function series(
  xs: number[],
  values: (number | null)[],
  y: (v: number) => number,
  colour: string,
  dash: string,
  name: string,
  weeks: readonly string[],
): string {
  const parts: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1)
      parts.push(
        `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${run.join(' ')}"/>`,
      );
    run = [];
  };
  values.forEach((v, i) => {
    if (v === null) flush();
    else run.push(`${fmt(xs[i] as number)},${fmt(y(v))}`);
  });
  flush();
  values.forEach((v, i) => {
    if (v === null) return;
    parts.push(
      `<circle cx="${fmt(xs[i] as number)}" cy="${fmt(y(v))}" r="3.5" fill="${colour}"><title>${escapeXml(`${weeks[i]} ${name} ${Math.round(v * 100)}%`)}</title></circle>`,
    );
  });
  return parts.join('\n    ');
}

/**
 * The chart of the weekly summary (and the dashboard): first-pass and overall pass rate (%) per week, and
 * the median and 90th percentile of time-to-acknowledge in business hours. Weeks without reviews leave a
 * gap, not a zero.
 */
export function renderQualityChart(points: readonly WeeklyPoint[], options: ChartOptions = {}): string {
  const title =
    options.title ??
    (points.length > 0 ? `Handoff quality, ${points[0]?.week} to ${points.at(-1)?.week}` : 'Handoff quality');
  const plotWidth = WIDTH - LEFT - RIGHT;
  const step = plotWidth / Math.max(points.length, 1);
  const xs = points.map((_, i) => LEFT + step * (i + 0.5));
  const weekLabels = points.map((p) => p.week);
  const rateY = (v: number) => RATE_TOP + RATE_HEIGHT * (1 - v);
  const hoursValues = points.flatMap((p) =>
    [p.ackBusinessHoursMedian, p.ackBusinessHoursP90].filter((v): v is number => v !== null),
  );
  const hoursMax = niceHours(Math.max(options.ackBudgetHours ?? 0, ...hoursValues, 1));
  const hoursY = (v: number) => HOURS_TOP + HOURS_HEIGHT * (1 - v / hoursMax);
  const out: string[] = [];
  out.push(
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="${COLOURS.text}">`,
    `  <title id="chart-title">${escapeXml(title)}</title>`,
    `  <desc id="chart-desc">${escapeXml(describe(points))}</desc>`,
    `  <rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `  <text x="${LEFT}" y="24" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  );
  // Pass rate panel.
  out.push(`  <g class="pass-rate">`);
  out.push(`    <text x="${LEFT}" y="${RATE_TOP - 12}" font-weight="bold">Gate pass rate (%)</text>`);
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    const y = fmt(rateY(v));
    out.push(
      `    <line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y}" y2="${y}" stroke="${COLOURS.grid}" stroke-width="1"/>`,
      `    <text x="${LEFT - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="${COLOURS.muted}">${v * 100}</text>`,
    );
  }
  out.push(
    `    ${series(
      xs,
      points.map((p) => p.firstPassRate),
      rateY,
      COLOURS.firstPass,
      '',
      'first-pass pass rate',
      weekLabels,
    )}`,
    `    ${series(
      xs,
      points.map((p) => p.overallPassRate),
      rateY,
      COLOURS.overall,
      '6 4',
      'overall pass rate',
      weekLabels,
    )}`,
  );
  out.push('  </g>');
  // Time-to-acknowledge panel.
  out.push(`  <g class="time-to-acknowledge">`);
  out.push(
    `    <text x="${LEFT}" y="${HOURS_TOP - 12}" font-weight="bold">Time to acknowledge (business hours)</text>`,
  );
  for (let i = 0; i <= 4; i++) {
    const v = (hoursMax / 4) * i;
    const y = fmt(hoursY(v));
    out.push(
      `    <line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y}" y2="${y}" stroke="${COLOURS.grid}" stroke-width="1"/>`,
      `    <text x="${LEFT - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="${COLOURS.muted}">${fmt(v)}</text>`,
    );
  }
  if (options.ackBudgetHours) {
    const y = fmt(hoursY(options.ackBudgetHours));
    out.push(
      `    <line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y}" y2="${y}" stroke="#cf222e" stroke-width="1" stroke-dasharray="3 3"/>`,
      `    <text x="${WIDTH - RIGHT}" y="${fmt(hoursY(options.ackBudgetHours) - 4)}" text-anchor="end" fill="#cf222e">${escapeXml(`due: ${fmt(options.ackBudgetHours)} h (1 business day)`)}</text>`,
    );
  }
  const barWidth = Math.min(28, step * 0.4);
  points.forEach((p, i) => {
    const x = xs[i] as number;
    if (p.ackBusinessHoursMedian !== null) {
      const y = hoursY(p.ackBusinessHoursMedian);
      out.push(
        `    <rect x="${fmt(x - barWidth / 2)}" y="${fmt(y)}" width="${fmt(barWidth)}" height="${fmt(HOURS_TOP + HOURS_HEIGHT - y)}" fill="${COLOURS.median}"><title>${escapeXml(`${p.week} median ${fmt(p.ackBusinessHoursMedian)} business hours`)}</title></rect>`,
      );
    }
    if (p.ackBusinessHoursP90 !== null) {
      const y = fmt(hoursY(p.ackBusinessHoursP90));
      out.push(
        `    <line x1="${fmt(x - barWidth / 2 - 4)}" x2="${fmt(x + barWidth / 2 + 4)}" y1="${y}" y2="${y}" stroke="${COLOURS.p90}" stroke-width="3"><title>${escapeXml(`${p.week} 90th percentile ${fmt(p.ackBusinessHoursP90)} business hours`)}</title></line>`,
      );
    }
  });
  out.push('  </g>');
  // Week labels, with the number of reviews behind each week's figures.
  out.push('  <g class="weeks" text-anchor="middle">');
  points.forEach((p, i) => {
    const x = fmt(xs[i] as number);
    out.push(
      `    <text x="${x}" y="${HOURS_TOP + HOURS_HEIGHT + 18}">${escapeXml(p.week)}</text>`,
      `    <text x="${x}" y="${HOURS_TOP + HOURS_HEIGHT + 32}" fill="${COLOURS.muted}" font-size="10">${escapeXml(`${p.reviews} review${p.reviews === 1 ? '' : 's'}`)}</text>`,
    );
  });
  out.push('  </g>');
  // Legend.
  const legend: [string, string, string][] = [
    ['first-pass pass rate', COLOURS.firstPass, 'line'],
    ['overall pass rate', COLOURS.overall, 'dash'],
    ['median time to acknowledge', COLOURS.median, 'bar'],
    ['90th percentile', COLOURS.p90, 'tick'],
  ];
  out.push(`  <g class="legend" font-size="11">`);
  legend.forEach(([label, colour, shape], i) => {
    const x = LEFT + i * 160;
    const y = 40;
    const mark =
      shape === 'bar'
        ? `<rect x="${x}" y="${y - 8}" width="14" height="10" fill="${colour}"/>`
        : `<line x1="${x}" x2="${x + 14}" y1="${y - 3}" y2="${y - 3}" stroke="${colour}" stroke-width="${shape === 'tick' ? 3 : 2}"${shape === 'dash' ? ' stroke-dasharray="4 2"' : ''}/>`;
    out.push(`    ${mark}<text x="${x + 20}" y="${y}">${escapeXml(label)}</text>`);
  });
  out.push('  </g>', '</svg>', '');
  return out.join('\n');
}

/** The chart's figures as a sentence, for screen readers and for anyone without the image. */
function describe(points: readonly WeeklyPoint[]): string {
  const pct = (v: number | null) => (v === null ? 'no reviews' : `${Math.round(v * 100)}%`);
  const hours = (v: number | null) => (v === null ? 'none acknowledged' : `${fmt(v)} business hours`);
  return points
    .map(
      (p) =>
        `${p.week}: first-pass ${pct(p.firstPassRate)}, overall ${pct(p.overallPassRate)}, median time to acknowledge ${hours(p.ackBusinessHoursMedian)}`,
    )
    .join('; ');
}
