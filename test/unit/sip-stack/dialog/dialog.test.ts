import { describe, expect, it } from 'vitest';
import { Dialog } from '../../../../sip-stack/dialog/dialog.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';

function parse<T>(text: string): T {
  const m = parseMessage(Buffer.from(text.replace(/\r?\n/g, '\r\n')));
  if (!(m instanceof SipRequest) && !(m instanceof SipResponse)) throw new Error(String(m));
  return m as T;
}

const invite = parse<SipRequest>(`INVITE sip:bob@pbx.local SIP/2.0
Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa
Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>
From: "Alice" <sip:alice@pbx.local>;tag=ft
To: <sip:bob@pbx.local>
Call-ID: c1@192.0.2.1
CSeq: 10 INVITE
Contact: <sip:alice@192.0.2.1:5060>
Content-Length: 0

`);

const ok = parse<SipResponse>(`SIP/2.0 200 OK
Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa
Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>
From: "Alice" <sip:alice@pbx.local>;tag=ft
To: <sip:bob@pbx.local>;tag=tt
Call-ID: c1@192.0.2.1
CSeq: 10 INVITE
Contact: <sip:bob@192.0.2.2:5070>
Content-Length: 0

`);

describe('Dialog (RFC 3261 §12)', () => {
  it('UAC: route set is the Record-Route of the 2xx reversed, remote target its Contact (§12.1.2)', () => {
    const d = Dialog.asUac(invite, ok);
    expect(d).toBeDefined();
    expect(d!.id).toEqual({ callId: 'c1@192.0.2.1', localTag: 'ft', remoteTag: 'tt' });
    const bye = d!.createRequest('BYE');
    expect(bye.uri).toBe('sip:bob@192.0.2.2:5070');
    expect(bye.getAll('Route')).toEqual(['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>']);
    expect(bye.cseq).toEqual({ seq: 11, method: 'BYE' });
    expect(bye.toTag).toBe('tt');
    expect(bye.fromTag).toBe('ft');
  });

  it('UAS: route set is the Record-Route of the request in order (§12.1.1)', () => {
    const d = Dialog.asUas(invite, ok)!;
    expect(d.id).toEqual({ callId: 'c1@192.0.2.1', localTag: 'tt', remoteTag: 'ft' });
    const bye = d.createRequest('BYE');
    expect(bye.uri).toBe('sip:alice@192.0.2.1:5060');
    expect(bye.getAll('Route')).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(bye.cseq.seq).toBe(1);
    expect(bye.get('From')).toContain('tag=tt');
  });

  it('ACK for 2xx carries the CSeq number of the INVITE and does not advance the local CSeq (§13.2.2.4)', () => {
    const d = Dialog.asUac(invite, ok)!;
    const ack = d.createRequest('ACK', { cseq: 10 });
    expect(ack.cseq).toEqual({ seq: 10, method: 'ACK' });
    expect(d.createRequest('BYE').cseq.seq).toBe(11);
  });

  it('uses the strict-routing form when the first route has no lr (§12.2.1.1)', () => {
    const strict = parse<SipResponse>(ok.toString().replace(/Record-Route: .*\r\n/, 'Record-Route: <sip:strict.example.com>\r\n'));
    const d = Dialog.asUac(invite, strict)!;
    const bye = d.createRequest('BYE');
    expect(bye.uri).toBe('sip:strict.example.com');
    expect(bye.getAll('Route')).toEqual(['<sip:bob@192.0.2.2:5070>']);
  });

  it('MUST reject a request with a lower CSeq as out of order, and refresh the target on re-INVITE (§12.2.2)', () => {
    const d = Dialog.asUas(invite, ok)!;
    const reinvite = parse<SipRequest>(invite.toString().replace('CSeq: 10 INVITE', 'CSeq: 11 INVITE')
      .replace('Contact: <sip:alice@192.0.2.1:5060>', 'Contact: <sip:alice@192.0.2.9:5062>'));
    expect(d.receiveRequest(reinvite)).toBe('ok');
    expect(d.createRequest('BYE').uri).toBe('sip:alice@192.0.2.9:5062');
    const old = parse<SipRequest>(invite.toString().replace('CSeq: 10 INVITE', 'CSeq: 9 INVITE'));
    expect(d.receiveRequest(old)).toBe('out-of-order');
  });

  it('cannot form a dialog without a Contact or a tag', () => {
    const noTag = parse<SipResponse>(ok.toString().replace(';tag=tt', ''));
    expect(Dialog.asUac(invite, noTag)).toBeUndefined();
  });

  it('a 2xx from another fork makes a dialog of its own from the sibling and that 2xx (§13.2.2.4)', () => {
    const first = Dialog.asUac(invite, ok)!;
    first.createRequest('BYE');
    expect(Dialog.forkedUac(first, ok, 10)).toBeUndefined();
    const other = parse<SipResponse>(`SIP/2.0 200 OK
Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa
From: "Alice" <sip:alice@pbx.local>;tag=ft
To: <sip:bob@pbx.local>;tag=t2
Call-ID: c1@192.0.2.1
CSeq: 10 INVITE
Contact: <sip:bob@192.0.2.9:5080>
Content-Length: 0

`);
    const fork = Dialog.forkedUac(first, other, 10)!;
    expect(fork.id).toEqual({ callId: 'c1@192.0.2.1', localTag: 'ft', remoteTag: 't2' });
    const ack = fork.createRequest('ACK', { cseq: 10 });
    expect(ack.requestUri).toBeDefined();
    expect(ack.get('To')).toBe('<sip:bob@pbx.local>;tag=t2');
    expect(ack.get('CSeq')).toBe('10 ACK');
    expect(ack.get('Route')).toBeUndefined();
    expect(String(ack.serialize())).toContain('ACK sip:bob@192.0.2.9:5080 SIP/2.0');
    expect(fork.createRequest('BYE').get('CSeq')).toBe('11 BYE');
  });
});
