import { hubspotSandbox } from '../src/connectors/definitions/hubspot/sandbox.js';
import { startSandboxServer } from '../src/connectors/sandboxes/index.js';

/** The HubSpot sandbox in a process of its own, so a benchmark's client does not share its event loop. */
const contacts = Number(process.argv[2] ?? 100_000);
const server = await startSandboxServer(hubspotSandbox({ contacts }));
console.log(server.url);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
