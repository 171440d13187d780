import type { Generated } from 'kysely';

// Timestamps are ISO-8601 strings on both dialects (timestamptz on Postgres is parsed back to ISO text).
export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiClientsTable {
  id: string;
  organization_id: string;
  display_name: string;
  secret_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AccessTokensTable {
  token_hash: string;
  client_id: string;
  organization_id: string;
  created_at: string;
  expires_at: string;
}

export interface AssetsTable {
  id: string;
  organization_id: string;
  source: 'upload' | 'url';
  kind: 'image' | 'video' | 'audio';
  mime_type: string;
  sha256: string | null;
  size: number | null;
  file_name: string | null;
  url: string | null;
  created_at: string;
}

export interface Database {
  organizations: OrganizationsTable;
  api_clients: ApiClientsTable;
  access_tokens: AccessTokensTable;
  assets: AssetsTable;
}
