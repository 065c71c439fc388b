#!/usr/bin/env node
// @ts-check
/* eslint-disable no-console */
'use strict';

/**
 * Verifies an evidence pack of the backup plugin offline: the manifest at its
 * end must be present, its SHA-256 must match every byte before it, and its
 * counts and chain heads must match the records in the file. Plain Node (no
 * dependencies) so that an auditor can run it anywhere; the backend's tests
 * use the same function.
 *
 *   backup-verify-evidence-pack pack.csv [pack.json ...]
 *
 * Exits 0 when every file verifies, 1 otherwise.
 */
const { createHash } = require('crypto');
const { readFileSync } = require('fs');

/** Manifest version written by the backend. */
const PACK_VERSION = 1;
const CSV_HEADER = 'section,key,value';
const CSV_MANIFEST_TITLE = 'manifest';
/** In JSON the hashed bytes are everything before this text. */
const JSON_MANIFEST_KEY = ',"manifest":';

/**
 * @typedef {{ policyFields: number, registerRows: number, restoreTests: number }} EvidencePackCounts
 * @typedef {{ entityRef: string, sequence: number, hash: string }} ChainHead
 * @typedef {{ version: number, counts: EvidencePackCounts, chainHeads: ChainHead[], sha256: string }} EvidencePackManifest
 * @typedef {{ valid: boolean, format: 'csv' | 'json' | 'unknown', counts: EvidencePackCounts, problems: string[] }} EvidencePackVerification
 * @typedef {{ start: number, cells: string[] }} CsvRow
 */

/** @param {string} text */
const sha256 = text => createHash('sha256').update(text, 'utf8').digest('hex');

/** @returns {EvidencePackCounts} */
const noCounts = () => ({ policyFields: 0, registerRows: 0, restoreTests: 0 });

/**
 * The chain head of every entity: its included record with the highest
 * sequence.
 *
 * @param {Array<{ entityRef: string, sequence: number, hash: string }>} records
 * @returns {ChainHead[]}
 */
function chainHeadsOf(records) {
  /** @type {Map<string, ChainHead>} */
  const heads = new Map();
  for (const { entityRef, sequence, hash } of records) {
    const head = heads.get(entityRef);
    if (!head || sequence > head.sequence) {
      heads.set(entityRef, { entityRef, sequence, hash });
    }
  }
  return [...heads.values()].sort((a, b) =>
    a.entityRef < b.entityRef ? -1 : 1,
  );
}

/**
 * Compares what the file holds with what its manifest claims.
 *
 * @param {EvidencePackManifest} manifest
 * @param {EvidencePackCounts} counts
 * @param {ChainHead[]} heads
 * @param {string} hashed the text the manifest's sha256 must cover
 * @returns {string[]}
 */
function manifestProblems(manifest, counts, heads, hashed) {
  const problems = [];
  if (manifest.version !== PACK_VERSION) {
    problems.push(`unknown manifest version ${manifest.version}`);
  }
  for (const key of /** @type {Array<keyof EvidencePackCounts>} */ ([
    'policyFields',
    'registerRows',
    'restoreTests',
  ])) {
    if (manifest.counts?.[key] !== counts[key]) {
      problems.push(
        `the manifest counts ${manifest.counts?.[key]} ${key} but the file holds ${counts[key]}`,
      );
    }
  }
  const headText = (/** @type {ChainHead[]} */ list) =>
    JSON.stringify(list.map(h => [h.entityRef, h.sequence, h.hash]));
  if (headText(manifest.chainHeads ?? []) !== headText(heads)) {
    problems.push(
      'the chain heads in the manifest do not match the restore tests in the file',
    );
  }
  if (manifest.sha256 !== sha256(hashed)) {
    problems.push(
      'the SHA-256 in the manifest does not match the content: the file was cut or altered',
    );
  }
  return problems;
}

/**
 * The cells of one CSV line ("" inside quotes is a quote).
 *
 * @param {string} line
 */
function csvCells(line) {
  const cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell);
  return cells;
}

/**
 * CSV rows split at CRLFs outside quotes, each with its start offset, and
 * whatever follows the last CRLF (a complete pack has nothing there).
 *
 * @param {string} text
 */
function csvRows(text) {
  /** @type {CsvRow[]} */
  const rows = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) quoted = !quoted;
    else if (!quoted && c === 13 && text.charCodeAt(i + 1) === 10) {
      rows.push({ start, cells: csvCells(text.slice(start, i)) });
      start = i + 2;
      i++;
    }
  }
  return { rows, rest: text.slice(start) };
}

/** @param {CsvRow | undefined} row */
const isBlank = row => row?.cells.length === 1 && row.cells[0] === '';

/**
 * Splits rows into blank-line separated sections.
 *
 * @param {CsvRow[]} rows
 */
function csvSections(rows) {
  /** @type {CsvRow[][]} */
  const sections = [[]];
  for (const row of rows) {
    if (isBlank(row)) sections.push([]);
    else sections[sections.length - 1].push(row);
  }
  return sections;
}

/**
 * Counts and chain heads of the CSV sections before the manifest: the policy
 * (under the header line), the register and the restore tests (each under a
 * title line and a column line).
 *
 * @param {CsvRow[]} rows
 * @param {string[]} problems
 */
function readCsvBody(rows, problems) {
  const [policy = [], register = [], tests = [], ...extra] = csvSections(rows);
  const title = (/** @type {CsvRow[]} */ section) => section[0]?.cells[0];
  if (policy[0]?.cells.join(',') !== CSV_HEADER) {
    problems.push(`the file does not start with "${CSV_HEADER}"`);
  }
  if (title(register) !== 'backup register') {
    problems.push('the "backup register" section is missing');
  }
  if (title(tests) !== 'restore tests' || extra.length > 0) {
    problems.push('the "restore tests" section is missing or misplaced');
  }
  const columns = tests[1]?.cells ?? [];
  const column = (/** @type {string} */ name) => columns.indexOf(name);
  const records = tests.slice(2).map(({ cells }) => ({
    entityRef: cells[column('entity_ref')],
    sequence: Number(cells[column('sequence')]),
    hash: cells[column('hash')],
  }));
  return {
    counts: {
      policyFields: Math.max(0, policy.length - 1),
      registerRows: Math.max(0, register.length - 2),
      restoreTests: records.length,
    },
    heads: chainHeadsOf(records),
  };
}

/**
 * The manifest section's key/value lines; sha256 must come last.
 *
 * @param {CsvRow[]} rows
 * @param {string[]} problems
 * @returns {EvidencePackManifest}
 */
function readCsvManifest(rows, problems) {
  /** @type {Record<string, string>} */
  const values = {};
  /** @type {ChainHead[]} */
  const chainHeads = [];
  for (const { cells } of rows) {
    const [key, value, sequence, hash] = cells;
    if (key === 'chain_head') {
      chainHeads.push({ entityRef: value, sequence: Number(sequence), hash });
    } else {
      values[key] = value;
    }
  }
  if (rows[rows.length - 1]?.cells[0] !== 'sha256') {
    problems.push('the manifest does not end with its sha256 line');
  }
  return {
    version: Number(values.version),
    counts: {
      policyFields: Number(values.policy_fields),
      registerRows: Number(values.register_rows),
      restoreTests: Number(values.restore_tests),
    },
    chainHeads,
    sha256: values.sha256,
  };
}

/**
 * @param {string} text
 * @returns {EvidencePackVerification}
 */
function verifyCsv(text) {
  /** @type {string[]} */
  const problems = [];
  const { rows, rest } = csvRows(text);
  if (rest !== '') {
    problems.push('the last line is incomplete: the file was truncated');
  }
  // the manifest title is the last unquoted "manifest" line after a blank one
  let title = rows.length - 1;
  while (
    title > 0 &&
    !(
      rows[title].cells.join(',') === CSV_MANIFEST_TITLE &&
      isBlank(rows[title - 1])
    )
  ) {
    title--;
  }
  if (title <= 0) {
    const { counts } = readCsvBody(rows, []);
    problems.push(
      'no manifest: the pack is incomplete (truncated or interrupted)',
    );
    return { valid: false, format: 'csv', counts, problems };
  }
  const { counts, heads } = readCsvBody(rows.slice(0, title - 1), problems);
  const manifest = readCsvManifest(rows.slice(title + 1), problems);
  const hashed = text.slice(0, rows[title - 1].start);
  problems.push(...manifestProblems(manifest, counts, heads, hashed));
  return { valid: problems.length === 0, format: 'csv', counts, problems };
}

/**
 * @param {string} text
 * @returns {EvidencePackVerification}
 */
function verifyJson(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return {
      valid: false,
      format: 'json',
      counts: noCounts(),
      problems: ['not valid JSON: the file was truncated or altered'],
    };
  }
  const counts = {
    policyFields: Object.keys(doc?.policy ?? {}).length,
    registerRows: doc?.register?.length ?? 0,
    restoreTests: doc?.restoreTests?.length ?? 0,
  };
  const at = text.lastIndexOf(JSON_MANIFEST_KEY);
  if (!doc?.manifest || at < 0) {
    return {
      valid: false,
      format: 'json',
      counts,
      problems: ['no manifest: the pack is incomplete'],
    };
  }
  /** @type {string[]} */
  const problems = [];
  const hashed = text.slice(0, at);
  // the document must end exactly with the manifest as written
  if (
    text !== `${hashed}${JSON_MANIFEST_KEY}${JSON.stringify(doc.manifest)}}`
  ) {
    problems.push(
      'the manifest is not the last part of the document as written',
    );
  }
  const heads = chainHeadsOf(doc.restoreTests ?? []);
  problems.push(...manifestProblems(doc.manifest, counts, heads, hashed));
  return { valid: problems.length === 0, format: 'json', counts, problems };
}

/**
 * Verifies an evidence pack (CSV or JSON) as downloaded.
 *
 * @param {Buffer | string} content
 * @returns {EvidencePackVerification}
 */
function verifyEvidencePack(content) {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  if (text.startsWith('{')) return verifyJson(text);
  if (text.startsWith(`${CSV_HEADER}\r\n`)) return verifyCsv(text);
  return {
    valid: false,
    format: 'unknown',
    counts: noCounts(),
    problems: ['not an evidence pack (neither its CSV nor its JSON form)'],
  };
}

/**
 * @param {string[]} files
 * @returns {number} the exit code
 */
function main(files) {
  if (files.length === 0) {
    console.error('usage: backup-verify-evidence-pack <pack.csv|pack.json>...');
    return 1;
  }
  let allValid = true;
  for (const file of files) {
    let result;
    try {
      result = verifyEvidencePack(readFileSync(file));
    } catch (error) {
      console.error(
        `${file}: cannot read: ${/** @type {Error} */ (error).message}`,
      );
      allValid = false;
      continue;
    }
    const { policyFields, registerRows, restoreTests } = result.counts;
    if (result.valid) {
      console.log(
        `${file}: OK (${result.format}: ${policyFields} policy fields, ${registerRows} register rows, ${restoreTests} restore tests)`,
      );
    } else {
      allValid = false;
      console.log(`${file}: INVALID`);
      for (const problem of result.problems) console.log(`  - ${problem}`);
    }
  }
  return allValid ? 0 : 1;
}

module.exports = {
  verifyEvidencePack,
  chainHeadsOf,
  PACK_VERSION,
  CSV_HEADER,
  CSV_MANIFEST_TITLE,
  JSON_MANIFEST_KEY,
};

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
