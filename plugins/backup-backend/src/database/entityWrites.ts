import { createHash } from 'crypto';
import { Knex } from 'knex';
import { isDatabaseUnavailable } from './databaseErrors';

/**
 * Pauses before each retry of a write that met an unreachable database,
 * enough to ride out a failover or a dropped connection.
 */
const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000];

/**
 * How long a write may wait for an unreachable database in all, from its
 * arrival: queued behind the entity's earlier writes, which meet the same
 * outage, it must not start a full round of retries of its own, or clients
 * would wait for several rounds in a row before their 503.
 */
const RETRY_BUDGET_MS = 4000;

const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

/** A 64-bit advisory lock key per entity, stable across processes. */
function entityLockKey(entityRef: string): string {
  return createHash('sha256')
    .update(`backup-evidence:${entityRef}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}

/**
 * Runs tasks one at a time per key, in arrival order, so that writers to
 * one entity wait here instead of each holding a pooled connection while
 * waiting for the entity's database lock.
 */
class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(key, tail);
    tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/**
 * Serializes writes to one entity: in-process by a queue (enough for SQLite,
 * which knex gives a single connection anyway), and across replicas by a
 * PostgreSQL advisory lock held by the write transaction until commit.
 */
export class EntityWrites {
  private readonly queue = new KeyedQueue();

  constructor(private readonly db: Knex) {}

  /**
   * Runs one entity's write: queued behind the entity's other writes in this
   * process, in a transaction holding the entity's lock, and again when the
   * database was unreachable (the work must find what an attempt whose
   * outcome went unseen committed), within RETRY_BUDGET_MS unless an attempt
   * may have committed. Other errors are thrown at once.
   */
  run<T>(
    entityRef: string,
    work: (tx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    const deadline = Date.now() + RETRY_BUDGET_MS;
    return this.queue.run(entityRef, async () => {
      // once an attempt reached the database, its commit may have happened
      // unseen: then every retry is spent to find out, whatever the deadline
      let outcomeUnknown = false;
      for (let attempt = 0; ; attempt++) {
        let reached = false;
        try {
          return await this.db.transaction(async tx => {
            reached = true;
            await this.lockEntity(tx, entityRef);
            return work(tx);
          });
        } catch (error) {
          outcomeUnknown ||= reached;
          const delay = (RETRY_DELAYS_MS[attempt] ?? 0) * (0.5 + Math.random());
          const retry =
            isDatabaseUnavailable(error) &&
            attempt < RETRY_DELAYS_MS.length &&
            (outcomeUnknown || Date.now() + delay <= deadline);
          if (!retry) throw error;
          await pause(delay);
        }
      }
    });
  }

  /** Serializes writers to one entity across replicas, until commit. */
  private async lockEntity(tx: Knex.Transaction, entityRef: string) {
    if (this.db.client.dialect === 'postgresql') {
      await tx.raw('select pg_advisory_xact_lock(cast(? as bigint))', [
        entityLockKey(entityRef),
      ]);
    }
  }
}
