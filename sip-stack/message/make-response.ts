import { type Header, SipRequest, SipResponse } from './sip-message.js';
import { headerKey } from './header-name.js';
import { reasonPhrase } from './reason-phrases.js';

export interface ResponseOptions {
  /** Reason phrase; defaults to the RFC 3261 §21 phrase for the status. */
  reason?: string;
  /** To tag to add when the request's To has none (required on every non-100 response, §8.2.6.2). */
  toTag?: string;
  /** Extra headers, appended in order. */
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: Buffer;
  contentType?: string;
}

/**
 * RFC 3261 §8.2.6.2: a response copies From, Call-ID, CSeq and every Via from the request, in
 * order, and To with a tag added when the request had none (except on 100, §8.2.6.1).
 */
export function makeResponse(request: SipRequest, status: number, options: ResponseOptions = {}): SipResponse {
  const headers: Header[] = [];
  // Read line by line: a received request keeps its lines unmaterialised (see MessageHeaders).
  const count = request.lineCount();
  for (let i = 0; i < count; i++) {
    const key = request.lineKey(i);
    if (key === 'via' || key === 'from' || key === 'call-id' || key === 'cseq') headers.push(request.lineHeader(i));
    else if (key === 'to') headers.push(toHeader(request, request.lineHeader(i), status, options.toTag));
  }
  // §8.2.6.1: a 100 Trying copies the Timestamp header, if any.
  if (status === 100) for (let i = 0; i < count; i++) if (request.lineKey(i) === 'timestamp') headers.push(request.lineHeader(i));
  for (const [name, value] of options.headers ?? []) headers.push({ name, key: headerKey(name), value });
  const response = new SipResponse(status, options.reason ?? reasonPhrase(status), headers);
  return response.setBody(options.body ?? Buffer.alloc(0), options.contentType);
}

function toHeader(request: SipRequest, to: Header, status: number, toTag: string | undefined): Header {
  if (status === 100 || toTag === undefined) return to;
  // A malformed To (answered 400) is copied as it is: there is no dialog to tag.
  if (request.check('to') !== undefined || request.toTag !== undefined) return to;
  return { name: to.name, key: to.key, value: `${to.value};tag=${toTag}` };
}
