export { findDate, monthNumber } from './dates.ts';
export type { FieldRef, PlaybookLabels } from './labels.ts';
export { editDistance, LabelIndex, normalizeLabel, playbookLabels } from './labels.ts';
export { parsePacket, splitRow, unescapeCell } from './parse.ts';
export { escapeCell, packetContent, packetTitle, renderPacket, renderTemplate } from './render.ts';
export { findSowNumber, isSowNumber, sowNumberPattern, sowPath } from './sow-number.ts';
export type { Diagnostic, Packet, PacketContent, PacketField, ParseResult } from './types.ts';
export type { FieldReading } from './values.ts';
export {
  findPlaceholder,
  isEmail,
  isNotApplicable,
  isPhone,
  linkTarget,
  partLabel,
  phoneDigits,
  readField,
  splitParts,
} from './values.ts';
