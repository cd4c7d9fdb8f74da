import { hasRole, useMe } from '../../auth/session';
import { ApiKeysSection } from './ApiKeysSection';
import { EncryptionSection } from './EncryptionSection';
import { MembersSection } from './MembersSection';
import { WorkspaceSection } from './WorkspaceSection';

/** The workspace's settings: its name, members and roles, API keys, and the encryption key status. */
export function SettingsPage() {
  const { data: me } = useMe();
  if (!me?.workspace)
    return (
      <>
        <h1>Settings</h1>
        <p className="empty">You are not a member of any workspace yet.</p>
      </>
    );
  const admin = hasRole(me, 'admin');
  return (
    <div className="settings stack">
      <h1>Settings</h1>
      {admin ? (
        <nav aria-label="Settings sections" className="settings-nav">
          <a href="#workspace-title">Workspace</a>
          <a href="#members-title">Members</a>
          <a href="#api-keys-title">API keys</a>
          <a href="#encryption-title">Encryption keys</a>
        </nav>
      ) : null}
      <WorkspaceSection me={me} />
      <MembersSection me={me} />
      {admin ? (
        <>
          <ApiKeysSection me={me} />
          <EncryptionSection />
        </>
      ) : (
        <p className="notice">API keys and the encryption key status are for admins and owners of this workspace.</p>
      )}
    </div>
  );
}
