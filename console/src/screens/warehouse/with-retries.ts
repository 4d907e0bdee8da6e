import { ApiError } from '../../api/client.ts';

/** A scan lost on the network is sent again with the same scanId (or key), which the API applies once. */
export async function withRetries<T>(send: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const transient = error instanceof ApiError && (error.status === 0 || error.status >= 500);
      if (!transient || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 400 * attempt));
    }
  }
}
