import { defineConnector } from '../../runtime/define.js';

/**
 * PhantomBuster phantoms (agents) and their runs (containers), read through API v2 with a
 * workspace API key in `X-Phantombuster-Key`; a phantom can be launched once a person approves.
 * Docs: https://hub.phantombuster.com/docs/api (key header; v2 timestamps are in milliseconds),
 * https://hub.phantombuster.com/reference/get_agents-fetch-all,
 * https://hub.phantombuster.com/reference/get_containers-fetch-all and
 * https://hub.phantombuster.com/reference/post_agents-launch. The API documents no request rate
 * limit, so none is set; a 429 is still waited out by the requester.
 */
export default defineConnector({
  id: 'phantombuster',
  name: 'PhantomBuster',
  kind: 'api',
  category: 'automation',
  description: 'Phantoms of a PhantomBuster workspace and the runs of each, with their status and exit code; launches a phantom on approval.',
  docs: 'https://hub.phantombuster.com/docs/api',
  icon: 'icon.svg',
  baseUrl: 'https://api.phantombuster.com',
  auth: [{ method: 'api_key', label: 'API key', in: 'header', name: 'X-Phantombuster-Key' }],
  testStream: 'agents',
  streams: {
    agents: {
      description: 'Phantoms (agents): their script, launch schedule and how their last run ended.',
      request: { path: '/api/v2/agents/fetch-all' },
      records: '',
      primaryKey: 'id',
    },
    containers: {
      description: 'Runs (containers) of each phantom: status, launch type, end type, exit code and times.',
      request: { path: '/api/v2/containers/fetch-all', query: { agentId: '{agentId}' } },
      parent: { stream: 'agents', bind: { agentId: 'id' } },
      records: 'containers',
      primaryKey: 'id',
    },
  },
  actions: {
    launch_agent: {
      description: 'Adds a phantom to the launch queue, with an optional launch argument; answers the id of the new container.',
      request: { method: 'POST', path: '/api/v2/agents/launch' },
      needsApproval: true,
      input: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1, description: 'Id of the phantom (agent) to launch.' },
          argument: { type: ['object', 'string'], description: "Launch argument for this run, as an object or a JSON string; the phantom's saved argument when left out." },
        },
      },
    },
  },
});
