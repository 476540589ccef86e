/**
 * OpenNebula images (`<IMAGE>` from one.image.info and the pool) and their STATE
 * (include/Image.h: 0 INIT, 1 READY, 2 USED, 3 DISABLED, 4 LOCKED, 5 ERROR,
 * 6 CLONE, 7 DELETE, 8 USED_PERS, 9 LOCKED_USED, 10 LOCKED_USED_PERS) mapped to the
 * generic image state. A disk-saveas image is LOCKED while oned copies the disk,
 * then READY; a copy that failed leaves it in ERROR with the reason in TEMPLATE/ERROR.
 */
import type { ImageState, ImageStateName } from '#connectors/contract';
import { childrenOf, payloadParser, textOf, type XmlNode } from './vm-xml';

const STATE_NAMES = ['INIT', 'READY', 'USED', 'DISABLED', 'LOCKED', 'ERROR', 'CLONE', 'DELETE', 'USED_PERS', 'LOCKED_USED', 'LOCKED_USED_PERS'] as const;

const BY_STATE: Record<number, ImageStateName> = {
  0: 'pending',
  1: 'available',
  2: 'available',
  3: 'failed',
  4: 'pending',
  5: 'failed',
  6: 'pending',
  7: 'gone',
  8: 'available',
  9: 'pending',
  10: 'pending',
};

/**
 * The generic state of an image. A STATE newer than this table reads as `pending`:
 * the build's deadline ends a wait that never resolves, whereas a false failure
 * would throw a good image away.
 */
export function opennebulaImageState(image: XmlNode): ImageState {
  const code = Number(textOf(image, 'STATE'));
  const rawState = STATE_NAMES[code] ?? `STATE_${textOf(image, 'STATE') || 'unknown'}`;
  const state = BY_STATE[code] ?? 'pending';
  if (state === 'failed') {
    const said = textOf(childrenOf(image, 'TEMPLATE')[0], 'ERROR');
    return { state, rawState, reason: said || (code === 3 ? 'the image is disabled' : 'oned reports the image in ERROR') };
  }
  if (state === 'gone') return { state, rawState, reason: 'oned is deleting the image' };
  return { state, rawState };
}

/**
 * Parses a one.image.info payload.
 * @throws Error when the payload holds no `<IMAGE>`.
 */
export function parseImage(payload: string): XmlNode {
  const [image] = childrenOf(payloadParser.parse(payload) as Record<string, XmlNode>, 'IMAGE');
  if (!image) throw new Error('the answer has no <IMAGE> element');
  return image;
}
