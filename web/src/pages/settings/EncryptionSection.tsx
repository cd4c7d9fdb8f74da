import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';

type KeyUse = Schemas['EncryptionKeys']['secrets'][number];

const sources = { env: 'the TRIBUTARY_ENCRYPTION_KEY environment variable', file: 'the key file in the hub’s data folder' } as const;

/**
 * Whether the hub can read every secret this workspace stores, and what to do when it cannot:
 * key ids and counts only (admins only), never key material.
 */
export function EncryptionSection() {
  const status = useQuery({ queryKey: ['encryption-keys'], queryFn: () => unwrap(api.GET('/api/v1/encryption-keys')) });
  return (
    <section className="card stack" aria-labelledby="encryption-title">
      <div>
        <h2 id="encryption-title">Encryption keys</h2>
        <p className="muted">Secrets of connected systems (tokens, passwords, API keys) are stored encrypted with AES-256-GCM. Each one names the key that encrypted it.</p>
      </div>
      {status.isPending ? <Loading label="Loading the encryption key status" /> : status.error ? <ErrorMessage error={status.error} title="The encryption key status could not be loaded." /> : <KeyStatus status={status.data} />}
    </section>
  );
}

function KeyStatus({ status }: { status: Schemas['EncryptionKeys'] }) {
  const total = status.secrets.reduce((sum, s) => sum + s.secrets, 0);
  const missing = status.secrets.filter((s) => !s.inKeyring);
  const older = status.secrets.filter((s) => s.inKeyring && !s.primary);
  return (
    <>
      {status.allReadable ? (
        <p className="notice ok-notice">
          {total === 0 ? (
            <>
              <strong>No secrets stored yet.</strong> The secrets of connections you add are encrypted with the primary key.
            </>
          ) : (
            <>
              <strong>Readable.</strong> The hub holds the key of all {total} stored secret{total === 1 ? '' : 's'} of this workspace.
            </>
          )}
        </p>
      ) : (
        <div className="error" role="alert">
          <strong>Some secrets cannot be read.</strong> {missing.map((m) => `${m.secrets} secret${m.secrets === 1 ? ' is' : 's are'} encrypted with key ${m.keyId}`).join('; ')}, which this hub does not hold. Their connections fail until the key is back.
        </div>
      )}
      <dl className="facts">
        <dt>Primary key</dt>
        <dd>
          <code>{status.primaryKeyId}</code> <span className="muted">(new secrets are encrypted with it)</span>
        </dd>
        <dt>Keys the hub holds</dt>
        <dd>
          <ul className="key-ids">
            {status.keyIds.map((id) => (
              <li key={id}>
                <code>{id}</code>
              </li>
            ))}
          </ul>
        </dd>
        <dt>Loaded from</dt>
        <dd>{sources[status.source]}</dd>
      </dl>
      {status.secrets.length > 0 ? <SecretsByKey secrets={status.secrets} /> : null}
      <div className="stack what-to-do">
        <h3>What to do</h3>
        <ul>
          {missing.length > 0 ? (
            <>
              <li>
                Ask whoever runs the hub to restore the key it lacks ({missing.map((m) => m.keyId).join(', ')}): put back the key file from a backup, or set <code>TRIBUTARY_ENCRYPTION_KEY</code> to a keyring that lists it (<code>id:base64,id:base64</code>, the primary first), then restart the hub.
              </li>
              <li>If the key is lost for good, reconnect the affected connections and enter their secrets again.</li>
            </>
          ) : null}
          {older.length > 0 ? (
            <li>
              Some secrets still use an older key. <code>tributary keys rotate</code> re-encrypts them under the primary key.
            </li>
          ) : null}
          <li>
            To rotate keys, run <code>tributary keys rotate</code> on the hub’s machine, then restart running hubs. {status.source === 'env' ? 'With TRIBUTARY_ENCRYPTION_KEY, first put the new key at the front of the variable and keep the old ones after it.' : 'It adds a new primary key to the key file and keeps the old ones.'}
          </li>
        </ul>
      </div>
    </>
  );
}

function SecretsByKey({ secrets }: { secrets: KeyUse[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Stored secrets of this workspace by encryption key</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Secrets</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {secrets.map((s) => (
            <tr key={s.keyId}>
              <td>
                <code>{s.keyId}</code>
              </td>
              <td>{s.secrets}</td>
              <td>
                {!s.inKeyring ? <span className="badge key-missing">Missing: cannot be read</span> : s.primary ? <span className="badge key-ok">Readable (primary)</span> : <span className="badge key-older">Readable (older key)</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
