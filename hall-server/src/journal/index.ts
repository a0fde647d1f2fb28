export { Journal, ZERO_HASH } from './journal';
export type { JournalRecord, OpenedJournal, JournalOptions } from './journal';
export { JournalError, verifyJournalFile, verifyJournalDir, listJournalDays, readJournalDay, dayFilePath, corrupt } from './journal-files';
export type { VerifyReport } from './journal-files';
export { archiveOldJournals, DEFAULT_KEEP_DAYS } from './journal-archive';
export { repairJournal } from './journal-repair';
export type { RepairStep } from './journal-repair';
export { recordHash, formatRecord } from './journal-format';
