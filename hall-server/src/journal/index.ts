export { Journal, ZERO_HASH } from './journal';
export type { JournalRecord, OpenedJournal, JournalOptions, JournalStart, UncheckedPrefix } from './journal';
export {
  JournalError,
  verifyJournalFile,
  verifyJournalRange,
  verifyJournalDir,
  listJournalDays,
  readJournalDay,
  archiveOldJournals,
  dayFilePath,
  corrupt,
  DEFAULT_KEEP_DAYS,
} from './journal-files';
export type { VerifyReport, VerifyOptions } from './journal-files';
export { checkChainInBackground } from './chain-check';
export type { BackgroundCheck } from './chain-check';
export { recordHash, formatRecord } from './journal-format';
