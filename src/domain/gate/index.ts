export { placeholderEmailDomain } from './contacts-complete.ts';
export { gateRules, runGate } from './run-gate.ts';
export { rootRelative } from './sow-accessible.ts';
export { type TimelineFacts, timelineFacts } from './timeline-alignment.ts';
export {
  type PromiseAnchor,
  type PromiseSubject,
  readTimelinePromises,
  type TimelinePromise,
} from './timeline-text.ts';
export type {
  CheckResult,
  CheckStatus,
  CrmLookup,
  FileProbe,
  FileProbeResult,
  Finding,
  GateCheckId,
  GateInput,
  GateResult,
  GateRule,
} from './types.ts';
export { gateCheckIds } from './types.ts';
export { clausesOf, compilePhrase, findVocabulary, matchPhrase } from './vocabulary.ts';
