-- OAuth 2.0 authorization requests in flight: one row per `state` handed to a provider, kept
-- only as its SHA-256 so a leaked table cannot complete anyone's sign-in. Single use (used_at)
-- and short-lived (expires_at); bound to the workspace, user, connection and redirect.
CREATE TABLE oauth_states (
  state_hash     text PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id        uuid REFERENCES users (id) ON DELETE CASCADE,
  connection_id  uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  code_verifier  text NOT NULL,
  redirect_uri   text NOT NULL,
  return_to      text,
  created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz
);
CREATE INDEX oauth_states_expires ON oauth_states (expires_at);

ALTER TABLE oauth_states ENABLE ROW LEVEL SECURITY;
ALTER TABLE oauth_states FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON oauth_states
  USING (workspace_id = tributary_workspace() OR tributary_is_system())
  WITH CHECK (workspace_id = tributary_workspace() OR tributary_is_system());
