/** RFC 3261 §12: a dialog is identified by Call-ID, local tag and remote tag. */
export interface DialogId {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
}

export function dialogKey(id: DialogId): string {
  return `${id.callId}\u0000${id.localTag}\u0000${id.remoteTag}`;
}
