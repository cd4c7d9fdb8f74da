-- The second wall: the application acts as `tributary_app`, for which every table holding
-- workspace data shows only the rows of the workspace set for the transaction
-- (`tributary.workspace_id`), or every row when the transaction declared itself system work
-- (`tributary.system`). A transaction that sets neither sees nothing.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tributary_app') THEN
    CREATE ROLE tributary_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- another process created it at the same moment
END $$;

DO $$
BEGIN
  EXECUTE format('GRANT tributary_app TO %I', current_user);
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO tributary_app', current_schema());
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO tributary_app', current_schema());
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tributary_app', current_schema());
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO tributary_app', current_schema());
END $$;

CREATE FUNCTION tributary_workspace() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('tributary.workspace_id', true), '')::uuid $$;

CREATE FUNCTION tributary_is_system() RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT coalesce(current_setting('tributary.system', true), '') = 'on' $$;

ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspaces FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON workspaces
  USING (id = tributary_workspace() OR tributary_is_system())
  WITH CHECK (id = tributary_workspace() OR tributary_is_system());

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON memberships
  USING (workspace_id = tributary_workspace() OR tributary_is_system())
  WITH CHECK (workspace_id = tributary_workspace() OR tributary_is_system());

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON api_keys
  USING (workspace_id = tributary_workspace() OR tributary_is_system())
  WITH CHECK (workspace_id = tributary_workspace() OR tributary_is_system());

ALTER TABLE credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE credentials FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON credentials
  USING (workspace_id = tributary_workspace() OR tributary_is_system())
  WITH CHECK (workspace_id = tributary_workspace() OR tributary_is_system());
