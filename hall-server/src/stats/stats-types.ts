/** The statistics summary's shape (API.md "Statistics"), from the contract package. */
export type { StatsFigures, StatsSummary, TimeFigures } from '@hall/protocol';
