/** V8 cuts a substring of this length or more as a view onto its parent; shorter ones are copies. */
const SHORTEST_VIEW = 13;

/**
 * `text` as a string of its own. A header value of a received message is a view onto the whole
 * message text, and a string built from such values keeps its parts, so a value held for the
 * life of a dialog (tags, From, To) would keep the whole message it came in.
 */
export function detachedText(text: string): string {
  return text.length < SHORTEST_VIEW ? text : Buffer.from(text, 'utf8').toString('utf8');
}
