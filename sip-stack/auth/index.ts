export {
  parseAuthHeader,
  formatAuthHeader,
  formatChallenge,
  formatCredentials,
  quoteString,
  isToken,
  type AuthHeader,
  type AuthHeaderKind,
  type AuthParamValues,
  type AuthParseFailure,
  type AuthParseFailureCode,
  type AuthParseResult,
} from './digest-params.js';
export {
  computeHa1,
  computeHa2,
  computeResponse,
  digestHex,
  hashNameOf,
  isSessionAlgorithm,
  parseDigestAlgorithm,
  type DigestAlgorithm,
  type DigestHashName,
  type NoQopResponseInput,
  type QopAuthResponseInput,
  type ResponseInput,
} from './digest-hash.js';
export { formatNonceCount, parseNonceCount, NonceCountTracker, type CountVerdict } from './nonce-count.js';
export {
  NonceManager,
  DEFAULT_NONCE_LIFETIME_MS,
  type NonceCheck,
  type NonceManagerOptions,
} from './nonce-manager.js';
export {
  readCredentials,
  type CredentialsFailureReason,
  type CredentialsResult,
  type DigestCredentials,
} from './digest-credentials.js';
export {
  readChallenge,
  type ChallengeFailureReason,
  type ChallengeResult,
  type DigestChallenge,
} from './digest-challenge.js';
export {
  DigestServer,
  type ChallengeOptions,
  type DigestServerOptions,
  type Ha1Lookup,
  type ServerAlgorithm,
  type VerifyFailure,
  type VerifyFailureReason,
  type VerifyInput,
  type VerifyResult,
  type VerifySuccess,
} from './digest-server.js';
export {
  DigestClient,
  DigestChallengeError,
  answerChallenge,
  tryAnswerChallenge,
  type AnswerChallengeInput,
  type ChallengeAnswer,
  type ClientRequest,
  type DigestClientOptions,
} from './digest-client.js';
