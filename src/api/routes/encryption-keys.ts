import { z } from 'zod';
import { countCredentialsByKey } from '../../store/credential-repository.js';
import type { Api, ApiDeps } from '../app.js';
import { callerWorkspace } from '../auth/access.js';
import { errors } from '../schemas.js';

/**
 * What a workspace admin can act on about the credential vault's keys: which keys this hub holds,
 * where they come from, and whether every secret the workspace stores is encrypted with one of
 * them. Ids and counts only: never key bytes, the variable's value or the key file's path.
 */
const keyUse = z.object({
  keyId: z.string(),
  secrets: z.number().int().describe('Secrets of this workspace encrypted with this key'),
  inKeyring: z.boolean().describe('Whether the hub holds this key; when false, these secrets cannot be read until it is restored'),
  primary: z.boolean().describe('Whether this is the key new secrets are encrypted with; secrets under an older key are re-encrypted by `tributary keys rotate`'),
});

const encryptionKeysView = z
  .object({
    source: z.enum(['env', 'file']).describe('Where the hub loaded its keys: `env` is TRIBUTARY_ENCRYPTION_KEY, `file` the key file in its data folder'),
    primaryKeyId: z.string().describe('The key new secrets are encrypted with'),
    keyIds: z.array(z.string()).describe('Every key the hub holds, the primary first'),
    secrets: z.array(keyUse).describe('The workspace’s stored secrets, counted by the key that encrypts them'),
    allReadable: z.boolean().describe('Whether the hub holds the key of every secret stored in this workspace'),
  })
  .meta({ id: 'EncryptionKeys' });

export function encryptionKeyRoutes(app: Api, deps: ApiDeps): void {
  const { db, keys } = deps;

  app.get(
    '/encryption-keys',
    {
      config: { access: 'encryption_keys.read' },
      schema: {
        tags: ['workspaces'],
        summary: 'The encryption keys and whether this workspace’s stored secrets are readable with them (admin)',
        description:
          'The keys are the ones this hub process loaded at start: after `tributary keys rotate`, restart it. A secret under a key the hub lacks needs that key restored (the key file, or TRIBUTARY_ENCRYPTION_KEY), or the connection reconnected with its secret entered again.',
        response: { 200: encryptionKeysView, ...errors(401, 403) },
      },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const counts = await db.withWorkspace(workspaceId, (tx) => countCredentialsByKey(tx, workspaceId));
      const { primaryId, ids } = keys.keyring;
      const secrets = counts.map(({ keyId, secrets }) => ({ keyId, secrets, inKeyring: ids.includes(keyId), primary: keyId === primaryId }));
      return { source: keys.source, primaryKeyId: primaryId, keyIds: ids, secrets, allReadable: secrets.every((s) => s.inKeyring) };
    },
  );
}
