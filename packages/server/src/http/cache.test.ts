import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDatabase } from '../db/database.ts';
import { withTransaction } from '../db/transaction.ts';
import { cachePerDatabase, createCache } from './cache.ts';

describe('createCache', () => {
  it('gets what was set, deletes and clears', () => {
    const cache = createCache<string, number | null>({ max: 10 });
    cache.set('a', 1);
    cache.set('none', null);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('none'), null, 'a stored null is a hit, not a miss');
    assert.equal(cache.get('b'), undefined);
    cache.delete('a');
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.size, 1);
    cache.clear();
    assert.equal(cache.size, 0);
  });

  it('keeps at most max entries, dropping the least recently written', () => {
    const cache = createCache<string, number>({ max: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3); // rewritten: now the newest
    cache.set('c', 4);
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 3);
    assert.equal(cache.get('c'), 4);
  });

  it('misses entries older than ttlMs, by the given clock', () => {
    let t = 1000;
    const cache = createCache<string, string>({ max: 10, ttlMs: 500, clock: () => t });
    cache.set('a', 'x');
    t += 499;
    assert.equal(cache.get('a'), 'x');
    cache.set('b', 'y');
    t += 1;
    assert.equal(cache.get('a'), undefined, 'exactly ttlMs old is expired');
    assert.equal(cache.size, 1, 'an expired entry is dropped when read');
    assert.equal(cache.get('b'), 'y');
    cache.set('a', 'z'); // a new write starts a new age
    t += 499;
    assert.equal(cache.get('a'), 'z');
  });

  it('refuses a size below one', () => {
    assert.throws(() => createCache({ max: 0 }), RangeError);
  });
});

describe('cachePerDatabase', () => {
  it('gives each database its own cache, the same one inside its transactions', async () => {
    const one = await openDatabase({ sqliteFile: ':memory:' });
    const two = await openDatabase({ sqliteFile: ':memory:' });
    try {
      const perDb = cachePerDatabase<string, number>({ max: 5 });
      perDb(one.db).set('k', 1);
      assert.equal(perDb(two.db).get('k'), undefined);
      await withTransaction(one.db, async (trx) => assert.equal(perDb(trx).get('k'), 1));
      await one.db.transaction().execute(async (trx) => assert.equal(perDb(trx).get('k'), 1));
    } finally {
      await one.close();
      await two.close();
    }
  });
});
