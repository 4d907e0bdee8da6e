import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { sdkClient } from './clients.ts';
import { ENV, getEnv, getOptionalEnv } from './env.ts';

/**
 * Where shared secrets (channel webhook secrets, 3PL keys) live. Items in the table only ever
 * hold a secret's *name*; the value stays here, encrypted at rest:
 * - on AWS: SSM Parameter Store SecureString at `${QM_SECRETS_PREFIX}<name>` (KMS-encrypted);
 * - locally: one AES-256-GCM file per secret under `QM_SECRETS_DIR`, with a key file generated
 *   next to them (mode 0600) on first use.
 * Use cases depend on this port, never on SSM or the file system.
 */
export interface SecretStore {
  /**
   * The secret's current value, or undefined when it was never stored. `maxAgeMs` bounds how
   * old a cached value may be (0 forces a fresh read), so a verifier can re-check once after a
   * mismatch and pick up a rotated secret without waiting for the cache to expire.
   */
  get(name: string, opts?: { maxAgeMs?: number }): Promise<string | undefined>;
  put(name: string, value: string): Promise<void>;
}

/** Names are paths of simple segments (`channels/shop-eu/webhook`); no `..`, no leading slash. */
const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)*$/;

export function assertSecretName(name: string): void {
  if (!SECRET_NAME.test(name) || name.split('/').includes('..') || name.length > 200) {
    throw new Error(`Invalid secret name ${JSON.stringify(name)}`);
  }
}

let ssm: SSMClient | undefined;
function ssmClient(): SSMClient {
  ssm ??= sdkClient(new SSMClient({}));
  return ssm;
}

/** SSM SecureString adapter: `ssm:GetParameter` with decryption, `ssm:PutParameter` to rotate. */
export function ssmSecretStore(
  prefix = getEnv(ENV.secretsPrefix),
  client: () => SSMClient = ssmClient,
): SecretStore {
  const nameOf = (name: string) => {
    assertSecretName(name);
    return `${prefix}${name}`;
  };
  return {
    async get(name) {
      try {
        const out = await client().send(
          new GetParameterCommand({ Name: nameOf(name), WithDecryption: true }),
        );
        return out.Parameter?.Value;
      } catch (error) {
        if (error instanceof ParameterNotFound || (error as Error).name === 'ParameterNotFound')
          return undefined;
        throw error;
      }
    },
    async put(name, value) {
      await client().send(
        new PutParameterCommand({ Name: nameOf(name), Value: value, Type: 'SecureString', Overwrite: true }),
      );
    },
  };
}

interface SealedSecret {
  v: 1;
  alg: 'aes-256-gcm';
  iv: string;
  tag: string;
  data: string;
}

const KEY_FILE = 'master.key';

/**
 * Local adapter: AES-256-GCM with a random 96-bit IV per write and the secret's name as
 * additional authenticated data, so a file copied under another name does not decrypt.
 * The 32-byte key is generated on first use with mode 0600 (exclusive create: two processes
 * starting together agree on one key).
 */
export function localSecretStore(dir = getEnv(ENV.secretsDir)): SecretStore {
  let key: Promise<Buffer> | undefined;
  const fileOf = (name: string) => {
    assertSecretName(name);
    return path.join(dir, `${encodeURIComponent(name)}.secret.json`);
  };

  async function loadKey(): Promise<Buffer> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const keyPath = path.join(dir, KEY_FILE);
    try {
      await writeFile(keyPath, randomBytes(32), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const bytes = await readFile(keyPath);
    if (bytes.length !== 32) throw new Error(`${keyPath} is not a 32-byte key`);
    return bytes;
  }
  const keyOnce = () => {
    key ??= loadKey().catch((error: unknown) => {
      key = undefined;
      throw error;
    });
    return key;
  };

  return {
    async get(name) {
      let sealed: SealedSecret;
      try {
        sealed = JSON.parse(await readFile(fileOf(name), 'utf8')) as SealedSecret;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      const decipher = createDecipheriv('aes-256-gcm', await keyOnce(), Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(name, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString(
        'utf8',
      );
    },
    async put(name, value) {
      const file = fileOf(name);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', await keyOnce(), iv);
      cipher.setAAD(Buffer.from(name, 'utf8'));
      const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      const sealed: SealedSecret = {
        v: 1,
        alg: 'aes-256-gcm',
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
      // Write-then-rename: a reader never sees a half-written file.
      const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(tmp, JSON.stringify(sealed), { mode: 0o600 });
      await chmod(tmp, 0o600);
      await rename(tmp, file);
    },
  };
}

/**
 * Keeps values in memory for `ttlMs` (webhook hot path: one SSM call per container per
 * minute, not per request). A `put` through this store updates its own cache at once; other
 * containers see a rotation within `ttlMs`, or immediately when a verifier asks for `maxAgeMs`.
 */
export function cachedSecretStore(
  inner: SecretStore,
  opts: { ttlMs?: number; now?: () => number } = {},
): SecretStore & { clear(): void } {
  const ttlMs = opts.ttlMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { value: string | undefined; at: number }>();
  const inFlight = new Map<string, Promise<string | undefined>>();
  return {
    async get(name, getOpts) {
      const maxAge = Math.min(ttlMs, getOpts?.maxAgeMs ?? ttlMs);
      const hit = cache.get(name);
      if (hit && now() - hit.at < maxAge) return hit.value;
      // Concurrent misses share one read.
      let pending = inFlight.get(name);
      if (!pending) {
        pending = inner
          .get(name)
          .then((value) => {
            cache.set(name, { value, at: now() });
            return value;
          })
          .finally(() => inFlight.delete(name));
        inFlight.set(name, pending);
      }
      return pending;
    },
    async put(name, value) {
      await inner.put(name, value);
      cache.set(name, { value, at: now() });
    },
    clear() {
      cache.clear();
    },
  };
}

let shared: (SecretStore & { clear(): void }) | undefined;

/** The process-wide store: local files when `QM_STAGE=local`, SSM otherwise; cached. */
export function secretStore(): SecretStore {
  shared ??= cachedSecretStore(getOptionalEnv(ENV.stage) === 'local' ? localSecretStore() : ssmSecretStore());
  return shared;
}
