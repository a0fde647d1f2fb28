/**
 * 电子监察 thresholds and the rectification deadline: hall settings (`hall.supervision`, schema
 * in protocol/src/config.ts), each with a default, so a hall that never set them is supervised
 * all the same.
 */
import { SupervisionSettings, type HallConfig } from '@hall/protocol';

export type { SupervisionSettings } from '@hall/protocol';

export const DEFAULT_SUPERVISION: SupervisionSettings = SupervisionSettings.parse({});

/** The hall's settings over the defaults. */
export function supervisionSettings(config: HallConfig): SupervisionSettings {
  return { ...DEFAULT_SUPERVISION, ...(config.hall.supervision ?? {}) };
}
