import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AssetsTable } from '../db/schema.ts';
import type { GetDb } from '../db/store-contract.ts';
import * as store from './store.ts';

export function assetStoreContract(getDb: GetDb): void {
  describe('asset store', () => {
    const t0 = '2026-03-01T10:00:00.000Z';
    const sha = 'a'.repeat(64);
    const upload: AssetsTable = {
      id: 'ast_contract_1',
      organization_id: 'org_assets_a',
      source: 'upload',
      kind: 'image',
      mime_type: 'image/png',
      sha256: sha,
      size: 5_000_000_000,
      file_name: 'cat.png',
      url: null,
      created_at: t0,
    };

    it('round-trips an upload (large sizes stay numbers) and scopes reads to the organization', async () => {
      const { db } = getDb();
      for (const id of ['org_assets_a', 'org_assets_b'])
        await db.insertInto('organizations').values({ id, name: id, created_at: t0 }).execute();
      await store.insertAsset(db, upload);
      const found = await store.findAsset(db, 'org_assets_a', upload.id);
      assert.deepEqual({ ...found, size: Number(found?.size) }, upload);
      assert.equal(await store.findAsset(db, 'org_assets_b', upload.id), undefined);
      assert.equal((await store.findAssetBySha(db, 'org_assets_a', sha))?.id, upload.id);
      assert.equal(await store.findAssetBySha(db, 'org_assets_b', sha), undefined);
      assert.equal((await store.findAssetById(db, upload.id))?.organization_id, 'org_assets_a');
    });

    it('enforces one asset per content and per URL in an organization, but not across organizations', async () => {
      const { db } = getDb();
      await assert.rejects(store.insertAsset(db, { ...upload, id: 'ast_contract_dup' }));
      await store.insertAsset(db, { ...upload, id: 'ast_contract_2', organization_id: 'org_assets_b' });
      const url = {
        ...upload,
        id: 'ast_contract_url',
        source: 'url' as const,
        sha256: null,
        size: null,
        url: 'https://example.com/x.jpg',
      };
      await store.insertAsset(db, url);
      await store.insertAsset(db, { ...url, id: 'ast_contract_url2', url: 'https://example.com/y.jpg' });
      await assert.rejects(store.insertAsset(db, { ...url, id: 'ast_contract_url3' }));
      assert.equal((await store.findAssetByUrl(db, 'org_assets_a', url.url))?.id, url.id);
    });
  });
}
