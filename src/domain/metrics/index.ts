export { type ChartOptions, escapeXml, renderQualityChart } from './chart.ts';
export {
  type AckSample,
  epochMs,
  factsOf,
  governanceEventTypes,
  type HandoffFacts,
  type HandoffHistory,
  type HandoffMetrics,
  type MetricsOptions,
  metricsFor,
  metricsForPeriods,
  quantile,
  type Rate,
  type Spread,
  type WeeklyPoint,
  weeklyPoint,
} from './metrics.ts';
export {
  type Period,
  PeriodInputError,
  rangePeriod,
  weekOf,
  weekPeriod,
  weeksEndingWith,
} from './period.ts';
export {
  escapeMarkdown,
  escapeSlack,
  renderWeeklySummary,
  type SummaryOptions,
  slackSummaryText,
  summaryWanted,
} from './summary.ts';
