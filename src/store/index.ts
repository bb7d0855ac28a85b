export { canonicalJson, sha256Hex } from './canonical-json.ts';
export {
  appendEvents,
  eventHash,
  genesisHash,
  listStreams,
  personalDigestOf,
  purgedActorName,
  purgePersonal,
  readAll,
  readStream,
  streamVersion,
  verifyChain,
} from './events.ts';
export { migrate, migrations, postgresMigrationLock, type StoreMigration } from './migrations/index.ts';
export {
  countNotifications,
  listNotifications,
  logNotification,
  type NewNotification,
  type Notification,
  purgeNotifications,
} from './notifications.ts';
export { isPostgresUrl, openStore, type StoreOptions } from './open-store.ts';
export {
  type ClaimOptions,
  claimEffects,
  completeEffect,
  type EffectFailure,
  effectById,
  enqueueEffects,
  failEffect,
  listEffects,
  retryEffect,
} from './outbox.ts';
export { deliveryStarts, releaseEffects, startDelivery } from './outbox-deliveries.ts';
export { maskDatabaseUrl } from './postgres/open-postgres.ts';
export { clearProjections } from './projections.ts';
export type { Database } from './schema.ts';
export { selectOnSqlite, sqliteChangeMark, sqlitePragmas } from './sqlite/open-sqlite.ts';
export { withTransaction } from './transaction.ts';
export {
  type Actor,
  type ChainCheck,
  type ChainProblem,
  type Db,
  type Dialect,
  type Effect,
  type EffectStatus,
  type NewEffect,
  type NewEvent,
  type Store,
  type StoredEvent,
  type Trx,
  VersionConflict,
} from './types.ts';
