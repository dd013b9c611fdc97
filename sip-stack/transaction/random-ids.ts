import { randomUUID } from 'node:crypto';
import { MAGIC_COOKIE } from '../message/via.js';

/**
 * §8.1.1.7: a branch unique across space and time, starting with the magic cookie. Random rather
 * than counted, so that an off-path attacker cannot guess it and inject responses over UDP.
 */
export function makeBranch(): string {
  return MAGIC_COOKIE + randomUUID().replaceAll('-', '');
}

/** §19.3: a tag for the To of responses the layer itself sends (200 and 481 to CANCEL). */
export function makeTag(): string {
  return randomUUID().replaceAll('-', '').slice(0, 16);
}
