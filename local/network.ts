import { BlockList, createServer, isIPv6 } from 'node:net';

/**
 * Where the local runtime listens and who may call its private parts. Everything binds to
 * 127.0.0.1 unless QM_BIND says otherwise; the `/local/*` endpoints and the emulated AWS APIs
 * answer loopback peers only, whatever the bind address.
 */

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1, and IPv4-mapped 127.x (::ffff:127.0.0.1); BlockList matches mapped addresses. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const family = isIPv6(address) ? 'ipv6' : 'ipv4';
  try {
    return LOOPBACK.check(address, family);
  } catch {
    return false; // not an IP address at all
  }
}

/** A host name as a browser or client on this machine writes it for the loopback interface. */
export function isLoopbackHostname(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare.endsWith('.localhost') || isLoopbackAddress(bare);
}

export const isWildcardAddress = (host: string) => host === '0.0.0.0' || host === '::';

/** The address clients on this machine use to reach a listener bound to `bindHost`. */
export const reachableHost = (bindHost: string) => (isWildcardAddress(bindHost) ? '127.0.0.1' : bindHost);

/** `host` as written in a URL (IPv6 addresses in brackets). */
export const urlHost = (host: string) => (isIPv6(host) ? `[${host}]` : host);

/**
 * Fails with a message a developer can act on when `port` is taken on `host`. On Linux a port
 * held on 0.0.0.0 or :: also refuses 127.0.0.1, so this catches any server on that port.
 */
export async function assertPortFree(port: number, host: string, what: string, envName: string) {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} is already in use, so ${what} cannot listen on it. Stop whatever holds it (\`ss -ltnp 'sport = :${port}'\` shows it) or choose another port with ${envName}=<port>.`
            : `${what} cannot listen on ${host}:${port}: ${error.message}`,
        ),
      ),
    );
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
