/**
 * SAM status words (SW3 of every reply) of the second-generation ID card reader protocol
 * (GA 467 SAM_V module). SW1 and SW2 are 0x00 on every reader we know of.
 */

export const SAM_STATUS = {
  ok: 0x90,
  cardFound: 0x9f,
  checksumError: 0x10,
  lengthError: 0x11,
  commandError: 0x21,
  unauthorised: 0x23,
  unrecognised: 0x24,
  cardAuthFailed: 0x31,
  infoAuthFailed: 0x32,
  infoVerifyFailed: 0x33,
  noCardOrUnknownCard: 0x40,
  readFailed: 0x41,
  overflow: 0x47,
  selfCheckFailed: 0x60,
  notAuthorised: 0x66,
  noCardFound: 0x80,
  selectFailed: 0x81,
  noContent: 0x91,
} as const;

const TEXT: Record<number, string> = {
  0x90: 'ok (操作成功)',
  0x9f: 'card found (寻找证/卡成功)',
  0x10: 'checksum error in the request (校验和错)',
  0x11: 'length error in the request (长度错)',
  0x21: 'unknown command (命令错误)',
  0x23: 'unauthorised operation (越权操作)',
  0x24: 'unrecognised error (无法识别的错误)',
  0x31: 'card failed to authenticate the reader (证/卡认证机具失败)',
  0x32: 'reader failed to authenticate the card (机具认证证/卡失败)',
  0x33: 'information verification failed (信息验证错误)',
  0x40: 'no card or unrecognised card type (无法识别的卡类型)',
  0x41: 'card read failed (读证/卡操作失败)',
  0x47: 'overflow (溢出)',
  0x60: 'SAM self-check failed (自检失败)',
  0x66: 'SAM not authorised (未经授权)',
  0x80: 'no card found (寻找证/卡失败)',
  0x81: 'card select failed (选取证/卡失败)',
  0x91: 'no such content on the card (此项无内容)',
};

/** Plain words for an admin or a log line; never contains card data. */
export function samStatusText(sw3: number): string {
  return TEXT[sw3] ?? `unknown SAM status 0x${sw3.toString(16).padStart(2, '0')}`;
}

/** Statuses that mean the reader module itself is unusable (not a card problem). */
export function isSamModuleFault(sw3: number): boolean {
  return sw3 === SAM_STATUS.selfCheckFailed || sw3 === SAM_STATUS.notAuthorised;
}
