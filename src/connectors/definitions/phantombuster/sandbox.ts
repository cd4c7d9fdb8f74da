import { httpSandbox, SandboxError, seededRecords, type SandboxSpec, type SeededRandom } from '../../sandboxes/index.js';

/**
 * A PhantomBuster API v2 sandbox. Every request needs the key in `X-Phantombuster-Key`; errors
 * answer `{ status: 'error', message }` (https://hub.phantombuster.com/docs/api). Timestamps are
 * epoch milliseconds, as in every v2 answer.
 *
 * - `GET /api/v2/agents/fetch-all` answers an array of every agent
 *   (https://hub.phantombuster.com/reference/get_agents-fetch-all).
 * - `GET /api/v2/containers/fetch-all?agentId` answers `{ containers: [container], maxLimitReached }`,
 *   newest first; `agentId` is required (https://hub.phantombuster.com/reference/get_containers-fetch-all).
 * - `POST /api/v2/agents/launch` with `{ id, argument? }` queues a run and answers `{ containerId }`;
 *   an unknown agent is a 400 (https://hub.phantombuster.com/reference/post_agents-launch).
 */
export const phantombusterSandboxKey = 'phantombuster-sandbox-key-0000';

export interface PhantombusterSandboxSize {
  agents?: number;
  containersPerAgent?: number;
}

// Ids are digit strings like the vendor's; these stay below 2^53, so they also survive as JSON numbers.
const agentIdBase = 2_000_000_000_000_000;
const containerIdBase = 7_000_000_000_000_000;
const containersPerAgentLimit = 1_000_000;
const scripts = ['LinkedIn Profile Scraper.js', 'LinkedIn Search Export.js', 'Sales Navigator Search Export.js', 'Instagram Follower Collector.js'] as const;
const endTypes = ['finished', 'finished', 'finished', 'error', 'killed'] as const;
const launchTypes = ['manual', 'user api call', 'scheduled repeatedly'] as const;

export function phantombusterSandbox(size: PhantombusterSandboxSize = {}): SandboxSpec {
  const containersPerAgent = size.containersPerAgent ?? 5;
  if (containersPerAgent >= containersPerAgentLimit) throw new RangeError(`At most ${containersPerAgentLimit - 1} containers per agent.`);
  const agents = seededRecords('phantombuster/agents', size.agents ?? 12, agent);
  let launches = 0;

  const agentIndex = (id: unknown): number | undefined => {
    const index = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) - agentIdBase : NaN;
    return Number.isInteger(index) && index >= 0 && index < agents.count ? index : undefined;
  };

  return {
    auth: (headers) => headers['x-phantombuster-key'] === phantombusterSandboxKey,
    errorBody: (_status, message) => ({ status: 'error', message }),
    routes: [
      {
        method: 'GET',
        path: '/api/v2/agents/fetch-all',
        handle: () => ({ body: Array.from({ length: agents.count }, (_, i) => agents.recordAt(i)) }),
      },
      {
        method: 'GET',
        path: '/api/v2/containers/fetch-all',
        handle({ query }) {
          if (!query.agentId) throw new SandboxError(400, 'agentId is required.');
          const index = agentIndex(query.agentId);
          if (index === undefined) throw new SandboxError(404, 'Agent not found.');
          const runs = seededRecords(`phantombuster/containers/${query.agentId}`, containersPerAgent, (random, run) => container(random, index, run));
          // Newest first: run 0 is the oldest.
          return { body: { containers: Array.from({ length: runs.count }, (_, i) => runs.recordAt(runs.count - 1 - i)), maxLimitReached: false } };
        },
      },
      {
        method: 'POST',
        path: '/api/v2/agents/launch',
        handle({ body }) {
          const { id, argument } = (body ?? {}) as { id?: unknown; argument?: unknown };
          const index = agentIndex(id);
          if (index === undefined) throw new SandboxError(400, 'Agent not found.');
          if (argument !== undefined && typeof argument !== 'string' && (typeof argument !== 'object' || argument === null || Array.isArray(argument)))
            throw new SandboxError(400, 'argument must be an object or a JSON string.');
          launches += 1;
          return { body: { containerId: containerId(index, containersPerAgent - 1 + launches) } };
        },
      },
    ],
  };
}

function agent(random: SeededRandom, index: number) {
  const createdAt = Date.parse(random.isoTimestamp('2023-06-01T00:00:00Z', '2024-06-01T00:00:00Z'));
  const script = random.pick(scripts);
  return {
    id: String(agentIdBase + index),
    name: `${script.replace(/\.js$/, '')} (${random.word()})`,
    script,
    scriptId: String(random.int(1_000, 9_999)),
    createdAt,
    lastEndType: random.pick(endTypes),
    lastEndedAt: Date.parse(random.isoTimestamp(createdAt, '2025-03-01T00:00:00Z')),
  };
}

function container(random: SeededRandom, agent: number, run: number) {
  // Each run a day or more after the one before, so newer runs have later times.
  const createdAt = Date.parse('2024-06-01T00:00:00Z') + run * 86_400_000 + random.int(0, 3_600_000);
  const endType = random.pick(endTypes);
  return {
    id: containerId(agent, run),
    status: 'finished',
    createdAt,
    launchedAt: createdAt + random.int(1_000, 60_000),
    endedAt: createdAt + random.int(120_000, 3_600_000),
    endType,
    exitCode: endType === 'finished' ? 0 : 1,
    launchType: random.pick(launchTypes),
  };
}

function containerId(agent: number, run: number): string {
  return String(containerIdBase + agent * containersPerAgentLimit + run);
}

/** The sandbox the hub starts for a PhantomBuster connection in sandbox mode. */
export const phantombusterSandboxProvider = httpSandbox(() => phantombusterSandbox(), { apiKey: phantombusterSandboxKey });
