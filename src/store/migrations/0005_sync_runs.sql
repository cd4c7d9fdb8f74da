-- Sync runs, their per-stream state, and each connection's schedule.

-- A schedule is a cron expression read in a time zone; NULL cron means the schedule is off.
-- `next_run_at` is when the scheduler enqueues the next run; it claims due rows with
-- FOR UPDATE SKIP LOCKED, so several schedulers enqueue each due run once.
ALTER TABLE connections ADD COLUMN schedule_cron text DEFAULT '0 3 * * *';
ALTER TABLE connections ADD COLUMN schedule_timezone text NOT NULL DEFAULT 'UTC';
ALTER TABLE connections ADD COLUMN next_run_at timestamptz;
CREATE INDEX connections_due_idx ON connections (next_run_at) WHERE schedule_cron IS NOT NULL;

CREATE TABLE sync_runs (
  id               uuid PRIMARY KEY,
  workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  connection_id    uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  trigger          text NOT NULL CHECK (trigger IN ('manual', 'schedule', 'api', 'webhook')),
  status           text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'skipped')),
  attempt          integer NOT NULL DEFAULT 1,
  max_attempts     integer NOT NULL,
  -- Per stream: { status, records, pages, bytes, warnings }; json keeps the streams in reading order.
  streams          json NOT NULL DEFAULT '{}',
  records          bigint NOT NULL DEFAULT 0,
  bytes            bigint NOT NULL DEFAULT 0,
  error            jsonb,
  cancel_requested boolean NOT NULL DEFAULT false,
  -- The worker holding the run renews its lease; a lapsed lease means the worker is gone.
  lease_owner      text,
  lease_expires_at timestamptz,
  requested_by     uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  started_at       timestamptz,
  finished_at      timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- One queued or running run per connection: a second trigger meets this index, not a race.
CREATE UNIQUE INDEX sync_runs_one_active_idx ON sync_runs (connection_id) WHERE status IN ('queued', 'running');
CREATE INDEX sync_runs_connection_idx ON sync_runs (workspace_id, connection_id, created_at DESC, id DESC);
CREATE INDEX sync_runs_lease_idx ON sync_runs (lease_expires_at) WHERE status = 'running';

-- The cursor of each incremental stream, committed only after the data it covers is in the warehouse.
CREATE TABLE sync_state (
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  stream        text NOT NULL,
  cursor        text NOT NULL,
  run_id        uuid,
  updated_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (connection_id, stream)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sync_runs', 'sync_state'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY workspace_isolation ON %I USING (workspace_id = tributary_workspace() OR tributary_is_system()) WITH CHECK (workspace_id = tributary_workspace() OR tributary_is_system())',
      t);
  END LOOP;
END $$;
