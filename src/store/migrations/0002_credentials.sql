-- Secrets (API keys, tokens, passwords of outside systems), encrypted by the credential vault.
-- `ciphertext` carries its key id too; `key_id` is kept beside it so rotation can find what to
-- re-encrypt. `hint` is the masked form shown to people (pat-…a1b2).
CREATE TABLE credentials (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  label        text NOT NULL,
  ciphertext   text NOT NULL,
  key_id       text NOT NULL,
  hint         text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credentials_workspace_idx ON credentials (workspace_id);
CREATE INDEX credentials_key_idx ON credentials (key_id);
