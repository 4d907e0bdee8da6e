import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root. Manifest paths (`entry`, `statemachines/*.asl.json`) are relative to it, so
 * resolving them here keeps `cdk synth` independent of the directory it is started from.
 */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The one lock file esbuild bundling is keyed on (`projectRoot` is its directory). */
export const LOCK_FILE = path.join(REPO_ROOT, 'package-lock.json');
