import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))] as number;
}

export function peakRssMb(pid: number | 'self' = 'self'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}

/** The fields of /proc/<pid>/stat after the command name (which is in parentheses and may hold spaces). */
function statFields(pid: number | 'self'): string[] {
  return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
}

const ticksPerSecond = 100; // USER_HZ, 100 on Linux

/**
 * CPU time a process has used so far (user + system, all threads), in ms. Throughput on a shared
 * two-core machine swings from run to run; CPU per operation is the steadier figure to compare.
 */
export function cpuTimeMs(pid: number | 'self' = 'self'): number {
  const fields = statFields(pid); // utime is the 12th, stime the 13th
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/**
 * CPU time (user + system, in ms) of this process's children that have exited and been waited
 * for: the difference across a child's run is that child's CPU time, to its last tick.
 */
export function exitedChildrenCpuTimeMs(): number {
  const fields = statFields('self'); // cutime is the 14th, cstime the 15th
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond;
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function writeResult(name: string, result: unknown): string {
  const dir = path.resolve('bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
  return file;
}

export interface Row { name: string; value: number; unit: string; target: string; pass: boolean }

export function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  for (const row of rows) {
    console.log(`  ${row.name.padEnd(44)} ${String(row.value).padStart(10)} ${row.unit.padEnd(6)} target ${row.target.padEnd(12)} ${row.pass ? 'ok' : 'MISSED'}`);
  }
}

export interface MachineSpeed { cpuLoopMs: number; syncedWriteMs: number; syscallUs: number; loopbackRoundTripUs: number; cpuTicks: CpuTicks }

/** The machine's CPU time so far (all cores, in USER_HZ ticks): busy, idle and stolen by the hypervisor. */
export interface CpuTicks { busy: number; idle: number; steal: number }

function cpuTicks(): CpuTicks {
  const fields = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] as string).trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
}

/** What share of the machine's CPU time the hypervisor took between two readings (other guests' work). */
function stolenPercent(before: MachineSpeed, after: MachineSpeed): number {
  const busy = after.cpuTicks.busy - before.cpuTicks.busy;
  const idle = after.cpuTicks.idle - before.cpuTicks.idle;
  const steal = after.cpuTicks.steal - before.cpuTicks.steal;
  return Number(((100 * steal) / Math.max(1, busy + idle + steal)).toFixed(1));
}

/**
 * How fast this machine is right now, measured the same way on every run: a fixed integer loop,
 * a 64 KiB write + fdatasync (what a commit costs the disk), a cheap syscall, and a loopback TCP
 * round trip to another process (what waking the other side costs, which a request to the server
 * and a query to PostgreSQL each pay; on a virtual machine it varies most). The shared
 * two-core machines these benchmarks run on change speed by a third or more from hour to hour,
 * so figures from different runs only compare beside these.
 */
export async function machineSpeed(dir = os.tmpdir()): Promise<MachineSpeed> {
  let started = performance.now();
  let x = 0;
  for (let i = 0; i < 50_000_000; i += 1) x = (x * 31 + i) | 0;
  const cpuLoopMs = Math.round(performance.now() - started) + (x === 0.5 ? 1 : 0); // x is used, so the loop stays
  const file = path.join(dir, `sentang-speed-${process.pid}`);
  const fd = fs.openSync(file, 'w');
  const page = Buffer.alloc(65_536, 7);
  const writes = 100;
  try {
    started = performance.now();
    for (let i = 0; i < writes; i += 1) {
      fs.writeSync(fd, page, 0, page.length, i * page.length);
      fs.fdatasyncSync(fd);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  const syncedWriteMs = Number(((performance.now() - started) / writes).toFixed(3));
  const calls = 20_000;
  started = performance.now();
  for (let i = 0; i < calls; i += 1) fs.fstatSync(1);
  const syscallUs = Number((((performance.now() - started) * 1000) / calls).toFixed(2));
  return { cpuLoopMs, syncedWriteMs, syscallUs, loopbackRoundTripUs: await loopbackRoundTripUs(), cpuTicks: cpuTicks() };
}

/** The median of 2,000 one-byte round trips over loopback TCP to an echo in a child process. */
async function loopbackRoundTripUs(): Promise<number> {
  const echo = spawn(process.execPath, ['-e', `const s = require('net').createServer((c) => { c.setNoDelay(true); c.on('data', (d) => c.write(d)); }); s.listen(0, '127.0.0.1', () => console.log(s.address().port));`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      echo.stdout?.once('data', (data) => resolve(Number(String(data).trim())));
      echo.once('error', reject);
    });
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    await new Promise((resolve) => socket.once('connect', resolve));
    const timesUs: number[] = [];
    for (let i = 0; i < 2000; i += 1) {
      const started = performance.now();
      await new Promise((resolve) => {
        socket.once('data', resolve);
        socket.write('x');
      });
      timesUs.push((performance.now() - started) * 1000);
    }
    socket.destroy();
    timesUs.sort((a, b) => a - b);
    return Math.round(percentile(timesUs, 50));
  } finally {
    echo.kill();
  }
}

function describeSpeed(speed: MachineSpeed): string {
  return `CPU loop ${speed.cpuLoopMs} ms, 64 KiB write+fdatasync ${speed.syncedWriteMs} ms, fstat ${speed.syscallUs} µs, loopback round trip ${speed.loopbackRoundTripUs} µs`;
}

/**
 * Measures the machine's speed again after a benchmark, prints both readings and what the
 * hypervisor stole in between, and returns them for the JSON result.
 */
export async function reportMachineSpeed(before: MachineSpeed): Promise<{ before: MachineSpeed; after: MachineSpeed; stolenPercent: number }> {
  const after = await machineSpeed();
  const stolen = stolenPercent(before, after);
  console.log(`  machine speed: ${describeSpeed(before)} (before), ${describeSpeed(after)} (after); the hypervisor took ${stolen}% of the CPU time in between`);
  return { before, after, stolenPercent: stolen };
}
