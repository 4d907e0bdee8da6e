import { ROLES, type Role } from '../lib/manifest/types.ts';
import { localConfig } from './config.ts';
import { loadIdentity } from './identity.ts';

/** `npm run --silent token -- <role> [username]` prints a bearer token for the local stack. */
const [role, username] = process.argv.slice(2);
if (!role || !ROLES.includes(role as Role)) {
  console.error(`usage: npm run --silent token -- <role> [username]\nroles: ${ROLES.join(', ')}`);
  process.exit(2);
}
const config = localConfig();
const identity = await loadIdentity(config.dataDir, config.port);
process.stdout.write(`${await identity.sign({ role: role as Role, ...(username ? { username } : {}) })}\n`);
