import { type Header, SipRequest, type SipResponse } from '../../sip-stack/message/sip-message.js';
import { makeResponse } from '../../sip-stack/message/make-response.js';
import { headerKey } from '../../sip-stack/message/header-name.js';
import { quote } from '../../sip-stack/message/params.js';
import type { Leg, PartyIdentity } from './leg.js';

export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REGISTER';
export const SDP = 'application/sdp';

export function identityAddress(identity: PartyIdentity, domain: string): string {
  return `${quote(identity.displayName)} <sip:${identity.extension}@${domain}>`;
}

export interface BranchInviteInput {
  readonly requestUri: string;
  readonly caller: PartyIdentity;
  readonly callee: PartyIdentity;
  readonly domain: string;
  readonly callId: string;
  readonly fromTag: string;
  readonly contact: string;
  readonly maxForwards: number;
  readonly sdp: Buffer | undefined;
  readonly extraHeaders: ReadonlyArray<readonly [string, string]>;
}

/** The INVITE the switch sends to one device of the callee: the caller's identity in From and PAI. */
export function buildBranchInvite(input: BranchInviteInput): SipRequest {
  const from = identityAddress(input.caller, input.domain);
  const headers: Header[] = [];
  const add = (name: string, value: string): void => {
    headers.push({ name, key: headerKey(name), value });
  };
  add('Max-Forwards', String(input.maxForwards));
  add('From', `${from};tag=${input.fromTag}`);
  add('To', `<sip:${input.callee.extension}@${input.domain}>`);
  add('Call-ID', input.callId);
  add('CSeq', '1 INVITE');
  add('Contact', `<${input.contact}>`);
  add('P-Asserted-Identity', from);
  add('Allow', ALLOW);
  for (const [name, value] of input.extraHeaders) add(name, value);
  const request = new SipRequest('INVITE', input.requestUri, headers);
  return input.sdp ? request.setBody(input.sdp, SDP) : request.setBody(Buffer.alloc(0));
}

export interface LegResponseOptions {
  readonly reason?: string;
  readonly sdp?: Buffer | undefined;
  readonly contact?: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** A response to the pending INVITE of an inbound leg, with the leg's tag. */
export function inviteResponse(leg: Leg, status: number, options: LegResponseOptions = {}): SipResponse {
  const headers: Array<readonly [string, string]> = [];
  if (options.contact && status < 300) headers.push(['Contact', `<${options.contact}>`]);
  if (status >= 200 && status < 300) headers.push(['Allow', ALLOW]);
  headers.push(...(options.headers ?? []));
  return makeResponse(leg.pendingInvite(), status, {
    toTag: leg.localTag, headers,
    ...(options.reason !== undefined ? { reason: options.reason } : {}),
    ...(options.sdp ? { body: options.sdp, contentType: SDP } : {}),
  });
}

/** RFC 3326 Reason for CANCELs of branches that lost to another device or a pickup. */
export const COMPLETED_ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';
