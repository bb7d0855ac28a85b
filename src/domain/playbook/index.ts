export { builtInPlaybook, builtInPlaybookData } from './load.ts';
export type {
  ClockId,
  FieldKind,
  Playbook,
  PlaybookField,
  PlaybookPart,
  PlaybookSection,
  VocabularyEntry,
} from './schema.ts';
export { fieldKinds, introEmailPlaceholders, playbookSchema } from './schema.ts';
export { PlaybookError, validatePlaybook } from './validate.ts';
