// Load generation for bench/load.ts: an open-loop schedule (requests start
// on time whatever the earlier ones do, and each latency counts from the
// moment its request was due, so a stalled server cannot hide its queue),
// closed-loop clients for ingestion, and percentiles.

/** One finished request: status 0 is a network error or a timeout. */
export interface Sample {
  route: string;
  status: number;
  ms: number;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Starts `rate * seconds` requests, one every 1/rate s, without waiting for
 * earlier ones. `fire` must not reject. Returns the samples and the time
 * from the first start to the last answer.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  fire: (i: number) => Promise<{ route: string; status: number }>,
) {
  const total = Math.max(1, Math.round(rate * seconds));
  const started = performance.now();
  const samples: Sample[] = [];
  let finished = started;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    inFlight.push(
      fire(i).then(({ route, status }) => {
        finished = performance.now();
        samples.push({ route, status, ms: finished - due });
      }),
    );
  }
  await Promise.all(inFlight);
  return { samples, seconds: (finished - started) / 1000 };
}

/**
 * `clients` loops, each calling `work` back to back until `seconds` have
 * passed; `work` answers how many records it stored (0 on an error).
 */
export async function closedLoop(
  clients: number,
  seconds: number,
  work: () => Promise<{ records: number; status: number; ms: number }>,
) {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const samples: Sample[] = [];
  let records = 0;
  const client = async () => {
    while (performance.now() < deadline) {
      const done = await work();
      records += done.records;
      samples.push({ route: 'ingest', status: done.status, ms: done.ms });
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const elapsed = (performance.now() - started) / 1000;
  return { records, samples, seconds: elapsed, perSecond: records / elapsed };
}

/** The q-quantile (0..1) of some values, nearest rank. */
export function quantile(values: number[], q: number) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const isError = (s: Sample) => s.status < 200 || s.status >= 300;

/** Count, p50/p95/p99 and errors (by status; 0 = network) of samples. */
export function stats(samples: Sample[]) {
  const ms = samples.map(s => s.ms);
  const errors: Record<string, number> = {};
  for (const s of samples.filter(isError)) {
    const key = s.status === 0 ? 'network' : String(s.status);
    errors[key] = (errors[key] ?? 0) + 1;
  }
  return {
    count: samples.length,
    p50: quantile(ms, 0.5),
    p95: quantile(ms, 0.95),
    p99: quantile(ms, 0.99),
    errorCount: samples.filter(isError).length,
    errors,
  };
}

/** `0`, or `3 (2× 500, 1× network)`. */
export function errorText(s: ReturnType<typeof stats>) {
  if (s.errorCount === 0) return '0';
  const parts = Object.entries(s.errors).map(([k, n]) => `${n}× ${k}`);
  return `${s.errorCount} (${parts.join(', ')})`;
}

/** Milliseconds with sensible precision. */
export const msText = (ms: number) =>
  Number.isNaN(ms) ? '-' : `${ms < 10 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
