import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createHash } from 'crypto';

/**
 * The offline verifier is plain Node under `bin/`, for auditors to run
 * anywhere; it is required at run time, from the repository and from the
 * published package alike, rather than bundled.
 */
const verifier: typeof import('../../bin/verify-evidence-pack') = require(resolvePackagePath(
  '@backup-assurance/plugin-backup-backend',
  'bin/verify-evidence-pack.js',
));
const { chainHeadsOf, PACK_VERSION } = verifier;

/** The texts that delimit the manifest, shared with the verifier. */
export const { CSV_HEADER, CSV_MANIFEST_TITLE, JSON_MANIFEST_KEY } = verifier;

/** Records of each section of an evidence pack. */
export interface EvidencePackCounts {
  /** CSV: `policy` lines; JSON: keys of the `policy` object. */
  policyFields: number;
  registerRows: number;
  restoreTests: number;
  /** Failed backup runs and failed or partial restore tests. */
  failures: number;
  followUps: number;
}

/** An entity's included record (of a section) with the highest chain sequence. */
export interface ChainHead {
  entityRef: string;
  sequence: number;
  hash: string;
}

/**
 * The last part of every evidence pack. `sha256` covers every byte before
 * the manifest (CSV: before the blank line that opens the `manifest`
 * section; JSON: before the `,"manifest":` text), so a truncated or edited
 * file no longer verifies.
 */
export interface EvidencePackManifest {
  version: number;
  counts: EvidencePackCounts;
  /** Of the restore tests, sorted by entity ref. */
  chainHeads: ChainHead[];
  /** Of the follow-ups, sorted by entity ref (from version 2). */
  followUpChainHeads: ChainHead[];
  sha256: string;
}

export interface EvidencePackVerification {
  valid: boolean;
  format: 'csv' | 'json' | 'unknown';
  /** What the file holds, whatever its manifest says. */
  counts: EvidencePackCounts;
  problems: string[];
}

/**
 * Verifies a downloaded evidence pack offline. The implementation is the
 * plain-Node script `bin/verify-evidence-pack.js` that auditors run.
 */
export function verifyEvidencePack(
  content: Buffer | string,
): EvidencePackVerification {
  return verifier.verifyEvidencePack(content);
}

/**
 * The chain head of each entity among the records added so far; keeps one
 * entry per entity, bounded by the register, not by the records.
 */
class ChainHeads {
  private readonly heads = new Map<string, ChainHead>();

  add({ entityRef, sequence, hash }: ChainHead) {
    const head = this.heads.get(entityRef);
    if (!head || sequence > head.sequence) {
      this.heads.set(entityRef, { entityRef, sequence, hash });
    }
  }

  sorted(): ChainHead[] {
    return chainHeadsOf([...this.heads.values()]);
  }
}

/** Accumulates the manifest while the pack is written. */
export class EvidencePackManifestBuilder {
  readonly counts: EvidencePackCounts = {
    policyFields: 0,
    registerRows: 0,
    restoreTests: 0,
    failures: 0,
    followUps: 0,
  };
  private readonly hash = createHash('sha256');
  private readonly restoreTestHeads = new ChainHeads();
  private readonly followUpHeads = new ChainHeads();
  private manifest?: EvidencePackManifest;

  /** Every chunk before the manifest passes through here, as sent. */
  hashed(chunk: string): string {
    this.hash.update(chunk, 'utf8');
    return chunk;
  }

  /** Counts a record; keeps only its chain position, not the record. */
  addRestoreTest(record: ChainHead) {
    this.counts.restoreTests++;
    this.restoreTestHeads.add(record);
  }

  addFailure() {
    this.counts.failures++;
  }

  /** Counts a follow-up; keeps only its chain position. */
  addFollowUp(record: ChainHead) {
    this.counts.followUps++;
    this.followUpHeads.add(record);
  }

  /** The manifest, once every chunk before it has been hashed. */
  finish(): EvidencePackManifest {
    this.manifest ??= {
      version: PACK_VERSION,
      counts: { ...this.counts },
      chainHeads: this.restoreTestHeads.sorted(),
      followUpChainHeads: this.followUpHeads.sorted(),
      sha256: this.hash.digest('hex'),
    };
    return this.manifest;
  }
}

const headCells = (h: ChainHead) => [h.entityRef, h.sequence, h.hash];

/** The CSV manifest section's key/value lines, sha256 last. */
export function manifestCsvRows(manifest: EvidencePackManifest): unknown[][] {
  return [
    ['version', manifest.version],
    ['policy_fields', manifest.counts.policyFields],
    ['register_rows', manifest.counts.registerRows],
    ['restore_tests', manifest.counts.restoreTests],
    ['failures', manifest.counts.failures],
    ['follow_ups', manifest.counts.followUps],
    ...manifest.chainHeads.map(h => ['chain_head', ...headCells(h)]),
    ...manifest.followUpChainHeads.map(h => [
      'follow_up_chain_head',
      ...headCells(h),
    ]),
    ['sha256', manifest.sha256],
  ];
}
