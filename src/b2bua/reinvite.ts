import type { SipResponse } from '../../sip-stack/message/sip-message.js';
import type { Call } from './call.js';
import type { Leg } from './leg.js';
import { SDP } from './leg-messages.js';

const MAX_GLARE_RETRIES = 3;

/**
 * A re-INVITE the switch itself sends on `leg` (to re-offer media), ACKed on 2xx. On 491 it
 * retries per RFC 3261 §14.1: after 2.1-4 s if we chose the leg's Call-ID, else 0-2 s.
 * Resolves with the final response, or undefined when the leg is gone or times out.
 */
export async function sendReInvite(call: Call, leg: Leg, sdp: Buffer): Promise<SipResponse | undefined> {
  for (let attempt = 0; attempt <= MAX_GLARE_RETRIES; attempt++) {
    if (leg.reinviteInProgress) {
      await wait(call, glareDelay(leg));
      continue;
    }
    const response = await attemptReInvite(call, leg, sdp);
    if (response?.status !== 491) return response;
    await wait(call, glareDelay(leg));
  }
  return undefined;
}

function attemptReInvite(call: Call, leg: Leg, sdp: Buffer): Promise<SipResponse | undefined> {
  const dialog = leg.dialog;
  if (!dialog || call.state === 'ended') return Promise.resolve(undefined);
  leg.reinviteInProgress = true;
  const contact = call.ctx.signalling.contactUri(leg.peer.protocol);
  const invite = dialog.createRequest('INVITE', { headers: [['Contact', `<${contact}>`]], body: sdp, contentType: SDP });
  return new Promise((resolve) => {
    const finish = (response: SipResponse | undefined): void => {
      leg.reinviteInProgress = false;
      resolve(response);
    };
    call.ctx.signalling.sendRequest(invite, leg.peer, {
      receiveResponse: (response) => {
        if (response.status < 200) return;
        if (response.status < 300) {
          dialog.receiveRefreshResponse(response);
          const ack = leg.makeAck(invite.cseq.seq);
          if (ack) call.ctx.signalling.sendAck(ack, leg.peer);
        }
        finish(response);
      },
      onTimeout: () => finish(undefined),
      onTransportError: () => finish(undefined),
    });
  });
}

/** §14.1: the owner of the Call-ID waits 2.1-4 s, the other side 0-2 s, in 10 ms units. */
function glareDelay(leg: Leg): number {
  const ownsCallId = leg.direction === 'outbound';
  const base = ownsCallId ? 2100 : 0;
  const span = ownsCallId ? 1900 : 2000;
  return base + Math.floor(Math.random() * (span / 10)) * 10;
}

function wait(call: Call, ms: number): Promise<void> {
  return new Promise((resolve) => call.setTimer(ms, resolve));
}
