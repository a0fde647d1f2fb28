/**
 * 电子监察 thresholds and the rectification deadline: hall settings (`hall.supervision` in
 * config.json), each with a default, so a hall that never set them is supervised all the same.
 */
import type { HallConfig } from '@hall/protocol';
import { DEFAULT_RECTIFICATION_DAYS } from './rectification-workflow';

export interface SupervisionSettings {
  /** A ticket's wait past its service's limit is yellow, past this multiple of it red. */
  waitRedFactor: number;
  /** A service time past the service's limit is yellow, past this multiple red. */
  serviceRedFactor: number;
  /** An open counter paused longer than this (minutes) in opening hours: yellow; twice: red. */
  pausedMinutes: number;
  /** A counter that serves services, not signed in, with tickets waiting for it (minutes): yellow; twice: red. */
  unattendedMinutes: number;
  /** A device offline or in error longer than this (minutes): yellow; twice: red. */
  deviceDownMinutes: number;
  /** Rectification deadline in working days. */
  rectificationDays: number;
}

export const DEFAULT_SUPERVISION: SupervisionSettings = {
  waitRedFactor: 2,
  serviceRedFactor: 2,
  pausedMinutes: 15,
  unattendedMinutes: 10,
  deviceDownMinutes: 5,
  rectificationDays: DEFAULT_RECTIFICATION_DAYS,
};

/** The hall's settings over the defaults. */
export function supervisionSettings(config: HallConfig): SupervisionSettings {
  const own = (config.hall as { supervision?: Partial<SupervisionSettings> }).supervision ?? {};
  return { ...DEFAULT_SUPERVISION, ...own };
}
