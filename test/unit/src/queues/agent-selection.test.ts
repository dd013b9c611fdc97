import { describe, expect, it } from 'vitest';
import { type AgentView, agentsForRound } from '../../../../src/queues/agent-selection.js';

const agents: AgentView[] = [
  { extension: '100', available: true, idleSince: 30 },
  { extension: '101', available: false, idleSince: 10 },
  { extension: '102', available: true, idleSince: 20 },
  { extension: '103', available: true, idleSince: 40 },
];

describe('queue ring strategies', () => {
  it('ring-all rings every available agent', () => {
    expect(agentsForRound('ring-all', agents, 0, { lastIndex: -1 })).toEqual(['100', '102', '103']);
  });

  it('linear rings one per round in configured order, from the top for each call', () => {
    const memory = { lastIndex: -1 };
    expect([0, 1, 2, 3].map((r) => agentsForRound('linear', agents, r, memory))).toEqual([['100'], ['102'], ['103'], ['100']]);
  });

  it('round-robin continues across calls and skips unavailable agents', () => {
    const memory = { lastIndex: -1 };
    expect(agentsForRound('round-robin', agents, 0, memory)).toEqual(['100']);
    expect(agentsForRound('round-robin', agents, 0, memory)).toEqual(['102']);
    expect(agentsForRound('round-robin', agents, 1, memory)).toEqual(['103']);
    expect(agentsForRound('round-robin', agents, 0, memory)).toEqual(['100']);
  });

  it('longest-idle rings the available agent idle longest', () => {
    expect(agentsForRound('longest-idle', agents, 0, { lastIndex: -1 })).toEqual(['102']);
  });

  it('nobody available: nobody rung', () => {
    expect(agentsForRound('ring-all', agents.map((a) => ({ ...a, available: false })), 0, { lastIndex: -1 })).toEqual([]);
  });
});
