/** What the transaction layer has done since it started, for metrics and tests. */
export interface TransactionCounters {
  clientTransactionsCreated: number;
  serverTransactionsCreated: number;
  /** New requests the TU answered from the request alone, without a transaction (§8.2.7). */
  statelessResponses: number;
  /** Requests that matched a live server transaction (§17.2.3) and were handled by it. */
  requestRetransmissions: number;
  /** ACKs passed to the TU because no transaction owned them (ACK for 2xx). */
  acksToUser: number;
  /** CANCELs answered 200 whose INVITE was still waiting for a final response. */
  cancelsDelivered: number;
  /** CANCELs matching no INVITE server transaction, answered 481 (§9.2). */
  cancelsUnmatched: number;
  /** 2xx to INVITE with no client transaction, passed to the TU (§13.2.2.4). */
  stray2xx: number;
  /** Other responses that matched no client transaction, dropped (§17.1.3, RFC 6026 §7.2). */
  responsesDropped: number;
}

/** The counters plus the transactions alive right now. */
export interface TransactionCountersSnapshot extends TransactionCounters {
  readonly liveClient: number;
  readonly liveServer: number;
}

export function makeCounters(): TransactionCounters {
  return {
    clientTransactionsCreated: 0,
    serverTransactionsCreated: 0,
    statelessResponses: 0,
    requestRetransmissions: 0,
    acksToUser: 0,
    cancelsDelivered: 0,
    cancelsUnmatched: 0,
    stray2xx: 0,
    responsesDropped: 0,
  };
}
