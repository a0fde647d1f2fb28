export { Journal, ZERO_HASH, PREALLOCATE_BYTES } from './journal';
export type { JournalRecord, OpenedJournal, JournalOptions, JournalStart, UncheckedPrefix } from './journal';
export {
  JournalError,
  verifyJournalFile,
  verifyJournalRange,
  verifyJournalDir,
  listJournalDays,
  readJournalDay,
  dayFilePath,
  corrupt,
  recordEndingAt,
} from './journal-files';
export type { VerifyReport, VerifyOptions } from './journal-files';
export { archiveOldJournals, DEFAULT_KEEP_DAYS } from './journal-archive';
export { checkChainInBackground } from './chain-check';
export { DayFileFollower } from './day-follower';
export type { ChainPoint } from './day-follower';
export type { BackgroundCheck } from './chain-check';
export { recordHash, formatRecord, MAX_WRITE_BYTES } from './journal-format';
