export type {
  ClientTransaction, ClientTransactionUser, InviteClientState, NonInviteClientState,
} from './client-transaction.js';
export type { InviteServerState, NonInviteServerState, ServerTransaction } from './server-transaction.js';
export type { TransactionUser } from './transaction-user.js';
export type { OnTerminated, TransactionContext } from './transaction-context.js';
export type { TransactionSender } from './transaction-sender.js';
export type { TransactionCounters, TransactionCountersSnapshot } from './transaction-counters.js';
export type * from './transaction-events.js';
export { InviteClientTransaction, type InviteClientInit } from './invite-client-transaction.js';
export { NonInviteClientTransaction, type NonInviteClientInit } from './non-invite-client-transaction.js';
export { InviteServerTransaction, type InviteServerInit } from './invite-server-transaction.js';
export { NonInviteServerTransaction, type NonInviteServerInit } from './non-invite-server-transaction.js';
export * from './transaction-key.js';
export { TransactionTimers } from './transaction-timers.js';
export { makeBranch, makeTag } from './random-ids.js';
export { makeClientVia } from './make-client-via.js';
export { TransactionLayer, type SendAckOptions, type SendRequestOptions, type TransactionLayerOptions } from './transaction-layer.js';
