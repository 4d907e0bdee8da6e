import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedSecretStore, localSecretStore, type SecretStore } from '../../functions/shared/secrets.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'qm-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('local secret store', () => {
  it('round-trips a secret and keeps only ciphertext on disk', async () => {
    const store = localSecretStore(dir);
    await store.put('channels/shop-us/webhook', 'shpss_very_secret_value');
    expect(await store.get('channels/shop-us/webhook')).toBe('shpss_very_secret_value');
    for (const file of await readdir(dir)) {
      expect(await readFile(path.join(dir, file), 'utf8')).not.toContain('shpss_very_secret_value');
    }
  });

  it('generates a 32-byte key file readable by the owner only', async () => {
    await localSecretStore(dir).put('a', 'b');
    const key = await stat(path.join(dir, 'master.key'));
    expect(key.size).toBe(32);
    expect(key.mode & 0o777).toBe(0o600);
  });

  it('answers undefined for a secret never stored', async () => {
    expect(await localSecretStore(dir).get('channels/none/webhook')).toBeUndefined();
  });

  it('refuses a tampered file and a file copied under another name', async () => {
    const store = localSecretStore(dir);
    await store.put('one', 'first');
    await store.put('two', 'second');
    const one = path.join(dir, 'one.secret.json');
    await writeFile(path.join(dir, 'two.secret.json'), await readFile(one));
    await expect(store.get('two')).rejects.toThrow();
    const sealed = JSON.parse(await readFile(one, 'utf8'));
    sealed.data = Buffer.from('forged').toString('base64');
    await writeFile(one, JSON.stringify(sealed));
    await expect(store.get('one')).rejects.toThrow();
  });

  it('two stores on the same directory agree on the key', async () => {
    const [a, b] = [localSecretStore(dir), localSecretStore(dir)];
    await Promise.all([a.put('x', '1'), b.put('y', '2')]);
    expect(await localSecretStore(dir).get('x')).toBe('1');
    expect(await a.get('y')).toBe('2');
  });

  it('refuses names that could escape the directory', async () => {
    const store = localSecretStore(dir);
    await expect(store.put('../outside', 'x')).rejects.toThrow(/Invalid secret name/);
    await expect(store.put('/abs', 'x')).rejects.toThrow(/Invalid secret name/);
  });
});

describe('cached secret store', () => {
  function counting(): SecretStore & { reads: number } {
    const values = new Map<string, string>([['s', 'v1']]);
    const store = {
      reads: 0,
      async get(name: string) {
        store.reads++;
        return values.get(name);
      },
      async put(name: string, value: string) {
        values.set(name, value);
      },
    };
    return store;
  }

  it('serves repeated reads from memory until the TTL and shares concurrent misses', async () => {
    let now = 0;
    const inner = counting();
    const cached = cachedSecretStore(inner, { ttlMs: 60_000, now: () => now });
    await Promise.all([cached.get('s'), cached.get('s'), cached.get('s')]);
    expect(inner.reads).toBe(1);
    now = 59_999;
    await cached.get('s');
    expect(inner.reads).toBe(1);
    now = 60_000;
    await cached.get('s');
    expect(inner.reads).toBe(2);
  });

  it('re-reads when the caller bounds the age, and sees its own put at once', async () => {
    let now = 0;
    const inner = counting();
    const cached = cachedSecretStore(inner, { now: () => now });
    await cached.get('s');
    now = 10_000;
    await cached.get('s', { maxAgeMs: 5_000 });
    expect(inner.reads).toBe(2);
    await cached.put('s', 'v2');
    expect(await cached.get('s')).toBe('v2');
    expect(inner.reads).toBe(2);
  });
});
