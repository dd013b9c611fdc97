import { describe, expect, it } from 'vitest';
import { makeNon2xxAck } from '../../../../sip-stack/message/make-ack.js';
import { makeCancel } from '../../../../sip-stack/message/make-cancel.js';
import {
  cancelledInviteKey, clientKeyOfRequest, clientKeyOfResponse, clientTransactionKey, legacyToTagMatches,
  serverTransactionKey, usesLegacyMatching,
} from '../../../../sip-stack/transaction/transaction-key.js';
import { answer, request } from './sip-fixtures.js';

describe('client transaction matching (§17.1.3)', () => {
  it('MUST match a response by the top Via branch and the CSeq method', () => {
    const invite = request({ branch: 'z9hG4bKa' });
    expect(clientKeyOfResponse(answer(invite, 180))).toBe(clientKeyOfRequest(invite));
    expect(clientKeyOfRequest(invite)).toBe(clientTransactionKey('z9hG4bKa', 'INVITE'));
  });

  it('keeps the CANCEL apart from the INVITE it cancels, though they share a branch', () => {
    const invite = request({ branch: 'z9hG4bKa' });
    const cancel = makeCancel(invite);
    expect(clientKeyOfRequest(cancel)).not.toBe(clientKeyOfRequest(invite));
    expect(clientKeyOfResponse(answer(cancel, 200))).toBe(clientKeyOfRequest(cancel));
  });

  it('counts the ACK for a non-2xx as part of the INVITE transaction', () => {
    const invite = request({ branch: 'z9hG4bKa' });
    expect(clientKeyOfRequest(makeNon2xxAck(invite, answer(invite, 486)))).toBe(clientKeyOfRequest(invite));
  });

  it('gives no key to a response without a branch', () => {
    expect(clientKeyOfResponse(answer(request({ branch: null }), 200))).toBeUndefined();
  });
});

describe('server transaction matching (§17.2.3)', () => {
  it('MUST match on branch, sent-by and method, the ACK counting as INVITE', () => {
    const invite = request();
    expect(serverTransactionKey(request())).toBe(serverTransactionKey(invite));
    expect(serverTransactionKey(request({ method: 'ACK', toTag: 'x' }))).toBe(serverTransactionKey(invite));
    expect(serverTransactionKey(request({ method: 'BYE' }))).not.toBe(serverTransactionKey(invite));
    expect(serverTransactionKey(request({ branch: 'z9hG4bKother' }))).not.toBe(serverTransactionKey(invite));
    expect(serverTransactionKey(request({ viaHost: 'pc34.atlanta.com' }))).not.toBe(serverTransactionKey(invite));
    expect(serverTransactionKey(request({ viaPort: 5070 }))).not.toBe(serverTransactionKey(invite));
  });

  it('ignores what the magic-cookie rule does not look at (Call-ID, tags, CSeq number)', () => {
    const key = serverTransactionKey(request());
    expect(serverTransactionKey(request({ callId: 'other', fromTag: 'f', cseq: 9 }))).toBe(key);
  });

  it('compares the sent-by host case-insensitively', () => {
    expect(serverTransactionKey(request({ viaHost: 'PC33.Atlanta.COM' }))).toBe(serverTransactionKey(request()));
  });

  it('finds the INVITE a CANCEL refers to (§9.2)', () => {
    const invite = request();
    expect(cancelledInviteKey(makeCancel(invite))).toBe(serverTransactionKey(invite));
    expect(serverTransactionKey(makeCancel(invite))).not.toBe(serverTransactionKey(invite));
  });

  it('gives no key to a request without a Via', () => {
    expect(serverTransactionKey(request({ noVia: true }))).toBeUndefined();
  });
});

describe('RFC 2543 fallback (§17.2.3, branch without the magic cookie)', () => {
  const legacy = (spec: Parameters<typeof request>[0] = {}) => request({ branch: null, ...spec });

  it('applies to a Via without a branch, or with a branch lacking z9hG4bK', () => {
    expect(usesLegacyMatching(legacy())).toBe(true);
    expect(usesLegacyMatching(request({ branch: '12345' }))).toBe(true);
    expect(usesLegacyMatching(request())).toBe(false);
  });

  it('matches on Request-URI, From tag, Call-ID, CSeq, method and top Via', () => {
    const key = serverTransactionKey(legacy());
    expect(serverTransactionKey(legacy())).toBe(key);
    expect(serverTransactionKey(legacy({ uri: 'sip:carol@chicago.com' }))).not.toBe(key);
    expect(serverTransactionKey(legacy({ fromTag: 'other' }))).not.toBe(key);
    expect(serverTransactionKey(legacy({ callId: 'other@x' }))).not.toBe(key);
    expect(serverTransactionKey(legacy({ cseq: 2 }))).not.toBe(key);
    expect(serverTransactionKey(legacy({ method: 'OPTIONS' }))).not.toBe(key);
    expect(serverTransactionKey(legacy({ viaHost: 'elsewhere.com' }))).not.toBe(key);
    expect(serverTransactionKey(request({ branch: '1' }))).not.toBe(serverTransactionKey(request({ branch: '2' })));
  });

  it('matches an ACK by the To tag of the response sent, other requests by the original To tag', () => {
    const invite = legacy();
    const tx = { legacyToTag: invite.toTag, lastToTag: answer(invite, 486, 'ourtag').toTag };
    expect(serverTransactionKey(legacy({ method: 'ACK', toTag: 'ourtag' }))).toBe(serverTransactionKey(invite));
    expect(legacyToTagMatches(legacy({ method: 'ACK', toTag: 'ourtag' }), tx)).toBe(true);
    expect(legacyToTagMatches(legacy({ method: 'ACK', toTag: 'another' }), tx)).toBe(false);
    expect(legacyToTagMatches(legacy(), tx)).toBe(true);
    expect(legacyToTagMatches(legacy({ toTag: 'ourtag' }), tx)).toBe(false);
    expect(legacyToTagMatches(makeCancel(invite), tx)).toBe(true);
  });
});
