/** Resident memory of a process, from /proc/<pid>/status (Linux only; null elsewhere). */
import { readFileSync } from 'node:fs';

/**
 * @param {number} pid
 * @returns {{ rssMb: number, peakRssMb: number } | null} VmRSS (now) and VmHWM (peak so far), in MB
 */
export function readMemory(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  /** @param {string} key */
  const kb = (key) => {
    const m = text.match(new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm'));
    return m ? Number(m[1]) : Number.NaN;
  };
  const rss = kb('VmRSS');
  const hwm = kb('VmHWM');
  if (Number.isNaN(rss) || Number.isNaN(hwm)) return null;
  return { rssMb: rss / 1024, peakRssMb: hwm / 1024 };
}
