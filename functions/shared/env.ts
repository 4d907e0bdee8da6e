/**
 * Reads a required environment variable. Called at module scope so a misconfigured
 * function fails at cold start, not on the first request that happens to need it.
 */
export function getEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

export function getOptionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}
