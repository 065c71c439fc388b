import { EvidenceChainReport } from '@backup-assurance/plugin-backup-common';
import { createHash } from 'crypto';

/** The previous hash of the first record in a chain. */
export const GENESIS_HASH = 'genesis';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSON with object keys sorted, so equal records always hash equally. */
function canonicalJson(value: unknown): string {
  const sort = (v: unknown): Json => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .filter(k => (v as Record<string, unknown>)[k] !== undefined)
          .map(k => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v as Json;
  };
  return JSON.stringify(sort(value));
}

/**
 * The hash of a record: SHA-256 over its canonical JSON, which includes the
 * previous record's hash, so editing any record breaks every later link.
 */
export function hashEvidence(record: { hash?: string }): string {
  const { hash: _ignored, ...content } = record;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

interface ChainLink {
  id: string;
  sequence: number;
  previousHash: string;
  hash: string;
}

/**
 * Checks one entity's chain, oldest first. The oldest remaining record is
 * the anchor (older backup runs may have been pruned by retention); from
 * there every record must hash to its stored hash, follow its predecessor
 * without a gap, and name its predecessor's hash.
 */
export function verifyEvidenceChain<T extends ChainLink>(
  records: T[],
  content: (record: T) => { hash?: string },
): EvidenceChainReport {
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const previous = records[i - 1];
    const problem =
      (hashEvidence(content(record)) !== record.hash &&
        'its content does not match its hash') ||
      (previous &&
        record.sequence !== previous.sequence + 1 &&
        `records ${previous.sequence + 1} to ${
          record.sequence - 1
        } are missing`) ||
      (previous &&
        record.previousHash !== previous.hash &&
        'it does not link to the previous record') ||
      (!previous &&
        record.sequence === 1 &&
        record.previousHash !== GENESIS_HASH &&
        'the first record does not start the chain');
    if (problem) {
      return {
        intact: false,
        count: records.length,
        brokenAt: { id: record.id, sequence: record.sequence, problem },
      };
    }
  }
  return { intact: true, count: records.length };
}
