import type { StackCapabilities } from '../sip-stack/stack/stateless-answer.js';

/** What the softswitch handles; the stack answers anything else statelessly (501, 416, 420). */
export const STACK_CAPABILITIES: StackCapabilities = {
  methods: new Set(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER', 'INFO', 'UPDATE', 'PRACK', 'MESSAGE', 'SUBSCRIBE', 'NOTIFY', 'REFER', 'PUBLISH']),
  optionTags: new Set(['outbound', 'path', 'replaces']),
  schemes: new Set(['sip', 'sips', 'tel']),
};
