// Starts `hocvu serve` for a browser test and tells where it listens.
//
//   const server = await startServer();            // binary from HOCVU_BINARY
//   ... use server.baseUrl (e.g. "http://127.0.0.1:41234") ...
//   await server.stop();
//
// The server gets HOCVU_LISTEN=127.0.0.1:0 (the kernel picks a free port), a fresh empty
// HOCVU_DATA_DIR, and HOCVU_DATABASE_URL when a database URL is given (argument, else the
// HOCVU_TEST_DATABASE_URL environment variable, else the server's default SQLite file in the
// data dir). It logs JSON lines on stdout; the one with "msg":"listening" carries
// "address":"127.0.0.1:PORT".
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const KEEP_OUTPUT_CHARS = 16_000;

/** The server binary named by HOCVU_BINARY; throws a readable error when unusable. */
export function serverBinary() {
  const binary = process.env.HOCVU_BINARY;
  if (!binary) throw new Error('HOCVU_BINARY is not set: point it at the built server (e.g. build/hocvu)');
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new Error(`HOCVU_BINARY=${binary} is not an executable file`);
  }
  return binary;
}

/** Appends to a bounded text buffer (keeps the tail). */
function keep(buffer, text) {
  const all = buffer + text;
  return all.length > KEEP_OUTPUT_CHARS ? all.slice(all.length - KEEP_OUTPUT_CHARS) : all;
}

/**
 * Spawns `<binary> serve` and resolves with {baseUrl, address, dataDir, output(), stop()} once the
 * "listening" log line appears. Rejects after 20 s, or when the process exits first, with the
 * collected stdout and stderr in the message.
 */
export async function startServer({ binary, databaseUrl, env } = {}) {
  binary ??= serverBinary();
  databaseUrl ??= process.env.HOCVU_TEST_DATABASE_URL || undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'hocvu-browser-'));

  const childEnv = { ...process.env, ...env, HOCVU_LISTEN: '127.0.0.1:0', HOCVU_DATA_DIR: dataDir };
  if (databaseUrl) childEnv.HOCVU_DATABASE_URL = databaseUrl;
  // HOCVU_TEST_DATABASE_URL is for the test runner; the server gets it as HOCVU_DATABASE_URL.
  delete childEnv.HOCVU_TEST_DATABASE_URL;

  const child = spawn(binary, ['serve'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let exited = null; // {code, signal} once the process is gone
  let spawnError = null; // set when the binary could not be started at all (no 'exit' follows)
  const exitPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
    child.once('error', (err) => {
      if (child.pid !== undefined) return; // a failed kill(), say: the process is still there
      spawnError = err;
      exited = { code: null, signal: null, error: err.message };
      resolve(exited);
    });
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = keep(stderr, chunk);
  });
  const output = () =>
    `--- stdout ---\n${stdout || '(nothing)'}\n--- stderr ---\n${stderr || '(nothing)'}`;

  const cleanup = () => rmSync(dataDir, { recursive: true, force: true });

  async function stop() {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      await exitPromise;
      clearTimeout(timer);
    }
    cleanup();
    return exited;
  }

  const address = await new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`${binary} serve: ${why}\n${output()}`));
    };
    const timer = setTimeout(
      () => fail(`no {"msg":"listening"} line on stdout within ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    exitPromise.then(({ code, signal }) =>
      fail(
        spawnError
          ? `could not start: ${spawnError.message}`
          : `exited (${signal ? `signal ${signal}` : `code ${code}`}) before listening`,
      ),
    );

    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => {
      stdout = keep(stdout, line + '\n');
      if (settled) return;
      let record;
      try {
        record = JSON.parse(line);
      } catch {
        return; // not a JSON log line
      }
      if (record?.msg !== 'listening') return;
      const addr = String(record.address ?? '');
      if (!/^127\.0\.0\.1:\d+$/.test(addr) || addr.endsWith(':0')) {
        fail(`"listening" line has an unexpected address: ${line}`);
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve(addr);
    });
  }).catch(async (err) => {
    if (!exited) {
      child.kill('SIGKILL');
      await exitPromise;
    }
    cleanup();
    throw err;
  });

  return { baseUrl: `http://${address}`, address, dataDir, output, stop };
}

/**
 * Runs `hocvu <args>` on the test server's data (its data directory, or HOCVU_TEST_DATABASE_URL),
 * with `input` on standard input: `seed --demo`, `create-admin`.
 */
export function runCommand(server, args, input) {
  const env = { ...process.env, HOCVU_DATA_DIR: server.dataDir };
  if (process.env.HOCVU_TEST_DATABASE_URL) env.HOCVU_DATABASE_URL = process.env.HOCVU_TEST_DATABASE_URL;
  execFileSync(serverBinary(), args, { input, env, stdio: 'pipe' });
}

/** The first national administrator, made on the server as an operator does (create-admin). */
export function createAdmin(server, admin) {
  runCommand(server, ['create-admin', '--login', admin.login, '--name', 'Quản Trị Viên'], admin.password + '\n');
}
