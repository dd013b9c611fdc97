import type { QueueStrategy } from '../config/config-schema.js';

/** Per-queue memory the strategies need across calls. */
export interface QueueMemory {
  /** round-robin: index of the agent rung last. */
  lastIndex: number;
}

export interface AgentView {
  readonly extension: string;
  /** The agent has a registered device and is not in an answered call. */
  readonly available: boolean;
  /** When the agent's last call ended (0 if never), for longest-idle. */
  readonly idleSince: number;
}

/**
 * The agents to ring in round `round` (0-based) of one queued call:
 * ring-all: every available agent; linear: the configured order, one per round, from the top;
 * round-robin: one per round, continuing where the queue's previous call left off;
 * longest-idle: the available agent idle longest (DESIGN §3 queues).
 */
export function agentsForRound(strategy: QueueStrategy, agents: readonly AgentView[], round: number, memory: QueueMemory): string[] {
  const available = agents.filter((a) => a.available);
  if (available.length === 0) return [];
  switch (strategy) {
    case 'ring-all':
      return available.map((a) => a.extension);
    case 'linear':
      return [(available[round % available.length] as AgentView).extension];
    case 'round-robin': {
      const next = nextAvailableAfter(agents, memory.lastIndex);
      memory.lastIndex = next;
      return [(agents[next] as AgentView).extension];
    }
    case 'longest-idle':
      return [([...available].sort((a, b) => a.idleSince - b.idleSince)[0] as AgentView).extension];
  }
}

function nextAvailableAfter(agents: readonly AgentView[], last: number): number {
  for (let step = 1; step <= agents.length; step++) {
    const i = (last + step) % agents.length;
    if (agents[i]?.available) return i;
  }
  return last;
}
