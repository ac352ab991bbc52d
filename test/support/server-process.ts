import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const testSecretKey = `sk_test_${randomBytes(12).toString('hex')}`;

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
}

export interface ServerProcessOptions {
  /** A command the server runs under, e.g. valgrind and its flags; the server's node follows it. */
  wrapper?: string[];
  /** How long to wait for the server to answer (default 15 s). */
  startTimeoutMs?: number;
  /** Flags for the server's node, after those of BENCH_SERVER_NODE_ARGS. */
  nodeArgs?: string[];
}

/** Starts `sentang serve` as its own process, as `npm start` would, and waits until it answers. */
export async function startServerProcess(env: Record<string, string | undefined>, options: ServerProcessOptions = {}): Promise<ServerProcess> {
  let output = '';
  // Port 0: the system picks a free port, so parallel tests never collide (a random port could be
  // one the system just handed out to an outgoing connection). The server prints the address.
  // BENCH_SERVER_NODE_ARGS passes flags to the server's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
  // to profile a benchmark's server (node refuses --cpu-prof in NODE_OPTIONS).
  const nodeArgs = [...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...(options.nodeArgs ?? [])];
  const command = [...(options.wrapper ?? []), process.execPath, ...nodeArgs, '--import', 'tsx', 'src/cli/main.ts', 'serve'];
  const child = spawn(command[0] as string, command.slice(1), {
    env: { ...process.env, LOG_LEVEL: 'warn', SENTANG_DEMO_KEY: testSecretKey, SENTANG_DEMO_DATA: '0', EXPIRY_SWEEP_SECONDS: '3600', ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => { output += chunk; });
  child.stderr?.on('data', (chunk) => { output += chunk; });
  const deadlineMs = Date.now() + (options.startTimeoutMs ?? 15_000);
  while (Date.now() < deadlineMs) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output}`);
    const baseUrl = /Health\s+(http:\/\/[^\s/]+)\/healthz/.exec(output)?.[1];
    if (baseUrl) {
      try {
        if ((await fetch(`${baseUrl}/healthz`)).ok) return { child, baseUrl, output: () => output };
      } catch { /* not answering yet */ }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not start: ${output}`);
}

export function runCli(args: string[], env: Record<string, string | undefined>): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/sentang.js', ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export async function api(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${testSecretKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, headers: response.headers };
}

/** Resolves when the process has exited, also when it already has. */
export function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
