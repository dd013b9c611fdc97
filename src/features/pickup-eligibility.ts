import type { AclGroupConfig, UserConfig } from '../config/config-schema.js';

/** A call that may be picked up: who it is offered to, since when. */
export interface PickableCall {
  readonly id: string;
  /** Extensions of the users whose devices are ringing (or the queue's agents). */
  readonly offeredTo: readonly string[];
  /** The queue the call waits in, if any. */
  readonly queueId: number | undefined;
  /** The caller's extension: nobody picks up their own call. */
  readonly callerExtension: string;
  readonly ringingSince: number;
}

/** What the picker dialled (DESIGN §4). */
export type PickupRequest =
  | { readonly kind: 'any' }
  | { readonly kind: 'extension'; readonly extension: string }
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'queue'; readonly queueId: number };

export type PickupDecision =
  | { readonly ok: true; readonly candidates: PickableCall[] }
  | { readonly ok: false; readonly status: 403 | 404; readonly reason: string };

export interface PickupPolicy {
  user(extension: string): UserConfig | undefined;
  aclGroup(name: string): AclGroupConfig | undefined;
  hasQueue(id: number): boolean;
  /** Whether any user lists `group` in callGroups. */
  groupExists(group: string): boolean;
}

/**
 * Which ringing calls a picker may take (DESIGN §4): users with Call/Pickup groups are scoped by
 * them; users without are scoped by their ACL group and its `cannot: pickup` rules.
 */
export function eligibleCalls(picker: UserConfig, request: PickupRequest, calls: readonly PickableCall[], policy: PickupPolicy): PickupDecision {
  const mayTake = (target: string): boolean => mayPickFrom(picker, target, policy);
  // A picker never takes their own outgoing call.
  const notOwn = calls.filter((c) => c.callerExtension !== picker.extension);
  switch (request.kind) {
    case 'any':
      return { ok: true, candidates: notOwn.filter((c) => c.offeredTo.some((t) => t !== picker.extension && scopeOfAny(picker, t, policy))) };
    case 'extension': {
      const target = policy.user(request.extension);
      if (!target) return { ok: false, status: 404, reason: 'No such extension' };
      if (!mayTake(request.extension)) return { ok: false, status: 403, reason: 'Not allowed to pick up this extension' };
      return { ok: true, candidates: notOwn.filter((c) => c.offeredTo.includes(request.extension)) };
    }
    case 'group': {
      if (!policy.groupExists(request.group)) return { ok: false, status: 404, reason: 'No such call group' };
      if (!picker.pickupGroups.includes(request.group)) return { ok: false, status: 403, reason: 'Not in this pickup group' };
      const inGroup = (ext: string): boolean => policy.user(ext)?.callGroups.includes(request.group) === true;
      return { ok: true, candidates: notOwn.filter((c) => c.offeredTo.some((t) => t !== picker.extension && inGroup(t))) };
    }
    case 'queue':
      if (!policy.hasQueue(request.queueId)) return { ok: false, status: 404, reason: 'No such queue' };
      return { ok: true, candidates: notOwn.filter((c) => c.queueId === request.queueId) };
  }
}

function hasGroupPreferences(user: UserConfig): boolean {
  return user.callGroups.length > 0 || user.pickupGroups.length > 0;
}

/** `88` alone: by groups if the picker has any, else by the picker's own ACL group. */
function scopeOfAny(picker: UserConfig, target: string, policy: PickupPolicy): boolean {
  const user = policy.user(target);
  if (!user) return false;
  if (hasGroupPreferences(picker)) return user.callGroups.some((g) => picker.pickupGroups.includes(g));
  return user.aclGroup === picker.aclGroup && !aclForbids(picker, user, policy);
}

/** `88<ext>`: by groups if the picker has any, else by ACL `cannot: pickup` rules. */
function mayPickFrom(picker: UserConfig, target: string, policy: PickupPolicy): boolean {
  const user = policy.user(target);
  if (!user) return false;
  if (hasGroupPreferences(picker)) return user.callGroups.some((g) => picker.pickupGroups.includes(g));
  return !aclForbids(picker, user, policy);
}

function aclForbids(picker: UserConfig, target: UserConfig, policy: PickupPolicy): boolean {
  const rules = policy.aclGroup(picker.aclGroup)?.cannot ?? [];
  return rules.some((r) => r.service === 'pickup' && r.target === target.aclGroup);
}

/** `longest-ringing` (default) or `random` among several eligible calls. */
export function choosePickup(candidates: readonly PickableCall[], selection: 'longest-ringing' | 'random'): PickableCall | undefined {
  if (candidates.length === 0) return undefined;
  if (selection === 'random') return candidates[Math.floor(Math.random() * candidates.length)];
  return [...candidates].sort((a, b) => a.ringingSince - b.ringingSince)[0];
}
