/**
 * Runtime configuration, read from `/config.json` when the console starts. The bundle holds no
 * stage, URL or id: locally the file says `{ "mode": "local" }`; on AWS the hosting construct
 * writes it from the stack outputs. Nothing here is secret (a public app client has none).
 */
export type ConsoleConfig =
  | { mode: 'local'; stage?: string }
  | {
      mode: 'aws';
      stage?: string;
      /** Base URL of the HTTP API, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com`. */
      apiUrl: string;
      region: string;
      userPoolId: string;
      userPoolClientId: string;
    };

export class ConfigError extends Error {}

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<ConsoleConfig> {
  let raw: unknown;
  try {
    // The default cache mode takes the response index.html preloads; the server marks the file
    // no-cache, so a later load still revalidates it.
    const res = await fetchImpl('/config.json');
    if (!res.ok) throw new ConfigError(`config.json answered ${res.status}`);
    raw = await res.json();
  } catch (error) {
    throw error instanceof ConfigError ? error : new ConfigError('config.json could not be read');
  }
  return parseConfig(raw);
}

export function parseConfig(raw: unknown): ConsoleConfig {
  const c = (raw ?? {}) as Record<string, unknown>;
  const stage = typeof c.stage === 'string' ? c.stage : undefined;
  if (c.mode === 'local') return { mode: 'local', ...(stage ? { stage } : {}) };
  if (c.mode === 'aws') {
    const missing = ['apiUrl', 'region', 'userPoolId', 'userPoolClientId'].filter(
      (k) => typeof c[k] !== 'string' || !(c[k] as string),
    );
    if (missing.length) throw new ConfigError(`config.json lacks ${missing.join(', ')}`);
    return {
      mode: 'aws',
      ...(stage ? { stage } : {}),
      apiUrl: String(c.apiUrl).replace(/\/+$/, ''),
      region: String(c.region),
      userPoolId: String(c.userPoolId),
      userPoolClientId: String(c.userPoolClientId),
    };
  }
  throw new ConfigError('config.json must say "mode": "local" or "aws"');
}
