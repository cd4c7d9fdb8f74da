/** The sandbox kit: what every built-in connector's `sandbox.ts` is written with. */
export { startSandboxServer, type RouteContext, type SandboxReply, type SandboxRoute, type SandboxServer, type SandboxServerOptions, type SandboxSpec } from './sandbox-server.js';
export { SeededRandom, seededRecords, type LazyRecords } from './seeded-random.js';
export { type Fault, type FaultKind } from './faults.js';
export { pagedCollection, type Page, type PageRequest, type PageStyle, type PagedCollection, type PagedCollectionOptions } from './paged-collection.js';
export { SandboxError } from './sandbox-error.js';
export { masked, type SandboxRequest } from './request-log.js';
export { httpSandbox, oauthHttpSandbox, SandboxHost, type SandboxInstance, type SandboxProvider } from './sandbox-provider.js';
export { sandboxOAuthClient, sandboxOAuthServer, type SandboxOAuthOptions, type SandboxOAuthServer } from './oauth-server.js';
