import { type DialogId, dialogKey } from '../../sip-stack/dialog/dialog-id.js';
import type { SipRequest } from '../../sip-stack/message/sip-message.js';
import type { Call } from './call.js';
import type { Leg } from './leg.js';

export interface LegRef {
  readonly call: Call;
  readonly leg: Leg;
}

/** Live calls, found by id and by the dialog of any of their legs. */
export class CallRegistry {
  private readonly calls = new Map<string, Call>();
  private readonly byDialog = new Map<string, LegRef>();
  private readonly keysOfCall = new Map<Call, Set<string>>();

  add(call: Call): void {
    this.calls.set(call.id, call);
  }

  remove(call: Call): void {
    this.calls.delete(call.id);
    for (const key of this.keysOfCall.get(call) ?? []) this.byDialog.delete(key);
    this.keysOfCall.delete(call);
  }

  bindDialog(id: DialogId, ref: LegRef): void {
    const key = dialogKey(id);
    this.byDialog.set(key, ref);
    let keys = this.keysOfCall.get(ref.call);
    if (!keys) this.keysOfCall.set(ref.call, (keys = new Set()));
    keys.add(key);
  }

  unbindDialog(id: DialogId): void {
    const key = dialogKey(id);
    const ref = this.byDialog.get(key);
    this.byDialog.delete(key);
    if (ref) this.keysOfCall.get(ref.call)?.delete(key);
  }

  /** The leg an in-dialog request belongs to: its To tag is ours, its From tag the peer's. */
  findByRequest(request: SipRequest): LegRef | undefined {
    const localTag = request.toTag;
    if (localTag === undefined) return undefined;
    return this.findByDialogId({ callId: request.callId, localTag, remoteTag: request.fromTag ?? '' });
  }

  findByDialogId(id: DialogId): LegRef | undefined {
    return this.byDialog.get(dialogKey(id));
  }

  get(id: string): Call | undefined {
    return this.calls.get(id);
  }

  all(): Call[] {
    return [...this.calls.values()];
  }

  get size(): number {
    return this.calls.size;
  }
}
