/** The frame profiles that ship with the hall, by name (a device's `profile`). */
import { KEYPAD_ECHO_PROFILE } from './frame-profile-definition';
import { HALL_DEFAULT_PROFILE, MODBUS_LIKE_PROFILE, STX_ETX_PROFILE, type FrameProfile } from './frame-profile';

export const BUILT_IN_FRAME_PROFILES: Readonly<Record<string, FrameProfile>> = {
  [HALL_DEFAULT_PROFILE.name]: HALL_DEFAULT_PROFILE,
  [MODBUS_LIKE_PROFILE.name]: MODBUS_LIKE_PROFILE,
  [STX_ETX_PROFILE.name]: STX_ETX_PROFILE,
  [KEYPAD_ECHO_PROFILE.name]: KEYPAD_ECHO_PROFILE,
};

/** A built-in profile by name; null picks the default. */
export function getFrameProfile(name: string | null | undefined): FrameProfile | undefined {
  if (name == null || name === '') return HALL_DEFAULT_PROFILE;
  return Object.hasOwn(BUILT_IN_FRAME_PROFILES, name) ? BUILT_IN_FRAME_PROFILES[name] : undefined;
}
