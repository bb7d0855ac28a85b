export {
  type CheckOccurrence,
  type ClockOccurrence,
  type DeltaEvidence,
  type DeltaPattern,
  type DraftedDelta,
  deltaId,
  findPatterns,
  newProposals,
  patternTitle,
  renderDelta,
} from './sop-delta.ts';
