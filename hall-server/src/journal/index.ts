export { Journal, ZERO_HASH } from './journal';
export type { JournalRecord, OpenedJournal, JournalOptions } from './journal';
export {
  JournalError,
  verifyJournalFile,
  verifyJournalDir,
  listJournalDays,
  readJournalDay,
  archiveOldJournals,
  dayFilePath,
  DEFAULT_KEEP_DAYS,
} from './journal-files';
export type { VerifyReport } from './journal-files';
export { recordHash, formatRecord } from './journal-format';
