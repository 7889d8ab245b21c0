/**
 * CPU accounting of a phase, from /proc (Linux only): how busy each core was, and how much of it
 * the gateway used. On a shared machine this says whether something else competed with the
 * measured processes (`otherOnGatewayCorePct`), i.e. whether a figure can be trusted.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond = 0;
/** The kernel's clock ticks per second (CLK_TCK), the resolution of a process's CPU time. */
export function clockTicks() {
  if (ticksPerSecond === 0) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5000 });
    const n = Number(r.stdout?.trim());
    ticksPerSecond = Number.isFinite(n) && n > 0 ? n : 100;
  }
  return ticksPerSecond;
}

/**
 * @returns {Map<string, { busy: number, proc: number, total: number }> | null}
 *   per core ('0', '1', …), in ticks; proc = user + nice + system (process time, no interrupts or steal)
 */
function coreTimes() {
  let text;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  const cores = new Map();
  for (const line of text.split('\n')) {
    const m = line.match(/^cpu(\d+)\s+(.*)$/);
    if (!m) continue;
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = (
      m[2] ?? ''
    )
      .trim()
      .split(/\s+/)
      .map(Number);
    const proc = user + nice + system;
    const busy = proc + irq + softirq + steal;
    cores.set(m[1], { busy, proc, total: busy + idle + iowait });
  }
  return cores;
}

/** utime + stime of a process, in ticks; null when it is gone. @param {number} pid */
function processTicks(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of stat(5)
  } catch {
    return null;
  }
}

/**
 * @typedef {{ cores: Record<string, number>, gatewayPct: number | null, gatewayCpuS: number | null, otherOnGatewayCorePct: number | null }} CpuUsage
 *   cores: busy % per core (interrupts and hypervisor steal included); gatewayPct: the gateway's CPU
 *   (100 = one core); gatewayCpuS: the CPU time the gateway used (user + system, every thread), in
 *   seconds, at the kernel's tick resolution (1 / CLK_TCK); otherOnGatewayCorePct: the process time (user + system) other processes used
 *   on the gateway's core, when pinned
 */

/**
 * Starts watching; `stop()` returns the usage since.
 * @param {{ gatewayPid?: number | null, gatewayCore?: string | null }} options
 * @returns {{ stop(): CpuUsage | null }}
 */
export function watchCpu({ gatewayPid = null, gatewayCore = null }) {
  const startedNs = process.hrtime.bigint();
  const cores0 = coreTimes();
  const gw0 = gatewayPid ? processTicks(gatewayPid) : null;
  return {
    stop() {
      const cores1 = coreTimes();
      if (!cores0 || !cores1) return null;
      const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
      const pct = (/** @type {number} */ part) => Math.round(part * 1000) / 10;
      /** @type {Record<string, number>} */
      const cores = {};
      let gatewayCoreProcess;
      for (const [id, a] of cores0) {
        const b = cores1.get(id);
        if (!b || b.total <= a.total) continue;
        cores[id] = pct((b.busy - a.busy) / (b.total - a.total));
        if (id === gatewayCore) gatewayCoreProcess = pct((b.proc - a.proc) / (b.total - a.total));
      }
      const gw1 = gatewayPid ? processTicks(gatewayPid) : null;
      const gatewayCpuS = gw0 !== null && gw1 !== null ? (gw1 - gw0) / clockTicks() : null;
      const gatewayPct = gatewayCpuS !== null && seconds > 0 ? pct(gatewayCpuS / seconds) : null;
      const otherOnGatewayCorePct =
        gatewayCoreProcess !== undefined && gatewayPct !== null
          ? Math.max(0, Math.round((gatewayCoreProcess - gatewayPct) * 10) / 10)
          : null;
      return { cores, gatewayPct, gatewayCpuS, otherOnGatewayCorePct };
    },
  };
}
