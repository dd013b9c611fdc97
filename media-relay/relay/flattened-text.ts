/**
 * `text`, with V8 made to hold its characters in one piece. A string built with `+` is a tree
 * of its parts (a cons string): a node per join, every part kept. Reading a character of a tree
 * makes V8 replace it with one flat copy in place, so every holder of this very string (the o=
 * line's last SDP, the softswitch's copy) keeps the flat form, about half the size.
 */
export function flattenedText(text: string): string {
  if (text.length > 0) text.charCodeAt(0);
  return text;
}
