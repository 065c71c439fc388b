// Process memory, for the benchmarks (Linux /proc).
import { readFileSync, writeFileSync } from 'fs';

const status = (pid: number | 'self') =>
  readFileSync(`/proc/${pid}/status`, 'utf8');

/** Peak resident memory (VmHWM) of a process, in MB; reset before measuring. */
export const peakMb = (pid: number | 'self') =>
  Number(/VmHWM:\s+(\d+) kB/.exec(status(pid))![1]) / 1024;

/** Resident memory (VmRSS) of a process, in MB. */
export const currentMb = (pid: number | 'self') =>
  Number(/VmRSS:\s+(\d+) kB/.exec(status(pid))![1]) / 1024;

/** Resets a process's VmHWM to its current resident memory. */
export const resetPeak = (pid: number | 'self') =>
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
