-- Connections, their audit trail and health probes, and each workspace's own connector definitions.
-- Every table holds workspace data and gets the same row-level-security policy as the others.

-- A workspace's custom REST connectors (declarative JSON, checked by the connector runtime).
CREATE TABLE connectors_custom (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id           text NOT NULL,
  -- json, not jsonb: the author's order of streams is kept (the first is the one a test reads).
  definition   json NOT NULL,
  created_by   uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);

CREATE TABLE connections (
  id               uuid PRIMARY KEY,
  workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  connector_id     text NOT NULL,
  name             text NOT NULL,
  mode             text NOT NULL CHECK (mode IN ('sandbox', 'live')),
  status           text NOT NULL CHECK (status IN ('configuring', 'testing', 'connected', 'error', 'disconnected')),
  auth_method      text NOT NULL,
  config           jsonb NOT NULL DEFAULT '{}',
  -- Deleting the credential (disconnect) keeps the connection and its history.
  credential_id    uuid REFERENCES credentials (id) ON DELETE SET NULL,
  selected_streams jsonb,
  discovery        jsonb,
  last_error       jsonb,
  last_tested_at   timestamptz,
  created_by       uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX connections_workspace_idx ON connections (workspace_id, created_at);

CREATE TABLE events (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  connection_id uuid REFERENCES connections (id) ON DELETE CASCADE,
  kind          text NOT NULL,
  message       text NOT NULL,
  details       jsonb NOT NULL DEFAULT '{}',
  actor_id      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX events_connection_idx ON events (workspace_id, connection_id, created_at DESC, id DESC);

CREATE TABLE health_checks (
  id               uuid PRIMARY KEY,
  workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  connection_id    uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  ok               boolean NOT NULL,
  response_time_ms integer NOT NULL,
  error_code       text,
  error_message    text,
  checked_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX health_checks_connection_idx ON health_checks (workspace_id, connection_id, checked_at DESC, id DESC);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['connectors_custom', 'connections', 'events', 'health_checks'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY workspace_isolation ON %I USING (workspace_id = tributary_workspace() OR tributary_is_system()) WITH CHECK (workspace_id = tributary_workspace() OR tributary_is_system())',
      t);
  END LOOP;
END $$;
