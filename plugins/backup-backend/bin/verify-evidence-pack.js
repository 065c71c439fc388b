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

/**
 * Manifest version written by the backend. Version 1 packs (before the
 * failures and follow-ups sections) still verify.
 */
const PACK_VERSION = 2;
const CSV_HEADER = 'section,key,value';
const CSV_MANIFEST_TITLE = 'manifest';
/** In JSON the hashed bytes are everything before this text. */
const JSON_MANIFEST_KEY = ',"manifest":';

/**
 * @typedef {{ policyFields: number, registerRows: number, restoreTests: number, failures: number, followUps: number }} EvidencePackCounts
 * @typedef {{ entityRef: string, sequence: number, hash: string }} ChainHead
 * @typedef {{ version: number, counts: EvidencePackCounts, chainHeads: ChainHead[], followUpChainHeads?: ChainHead[], sha256: string }} EvidencePackManifest
 * @typedef {{ valid: boolean, format: 'csv' | 'json' | 'unknown', counts: EvidencePackCounts, problems: string[] }} EvidencePackVerification
 * @typedef {{ start: number, cells: string[] }} CsvRow
 * @typedef {'restoreTests' | 'failures' | 'followUps'} RecordCount
 * @typedef {'chainHeads' | 'followUpChainHeads'} HeadsKey
 * @typedef {{ title: string, count: RecordCount, csvCount: string, heads?: HeadsKey, csvHead?: string, since: number }} RecordSection
 */

/**
 * The sections of records after the register, in the order of the pack:
 * CSV title, count (the JSON key too), the manifest's CSV count key, the
 * chain heads the manifest lists for them, and the version that added them.
 *
 * @type {RecordSection[]}
 */
const RECORD_SECTIONS = [
  {
    title: 'restore tests',
    count: 'restoreTests',
    csvCount: 'restore_tests',
    heads: 'chainHeads',
    csvHead: 'chain_head',
    since: 1,
  },
  { title: 'failures', count: 'failures', csvCount: 'failures', since: 2 },
  {
    title: 'follow-ups',
    count: 'followUps',
    csvCount: 'follow_ups',
    heads: 'followUpChainHeads',
    csvHead: 'follow_up_chain_head',
    since: 2,
  },
];

/** @param {number} version */
const isKnownVersion = version =>
  Number.isInteger(version) && version >= 1 && version <= PACK_VERSION;

/**
 * The record sections of a manifest version (an unknown version, which
 * is reported, is read as the current one).
 *
 * @param {number} version
 */
const recordSectionsOf = version =>
  RECORD_SECTIONS.filter(
    s => s.since <= (isKnownVersion(version) ? version : PACK_VERSION),
  );

/** @param {string} text */
const sha256 = text => createHash('sha256').update(text, 'utf8').digest('hex');

/** @returns {EvidencePackCounts} */
const noCounts = () => ({
  policyFields: 0,
  registerRows: 0,
  restoreTests: 0,
  failures: 0,
  followUps: 0,
});

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
 * @param {Partial<Record<HeadsKey, ChainHead[]>>} heads
 * @param {string} hashed the text the manifest's sha256 must cover
 * @returns {string[]}
 */
function manifestProblems(manifest, counts, heads, hashed) {
  const problems = [];
  if (!isKnownVersion(manifest.version)) {
    problems.push(`unknown manifest version ${manifest.version}`);
  }
  const sections = recordSectionsOf(manifest.version);
  /** @type {Array<keyof EvidencePackCounts>} */
  const counted = ['policyFields', 'registerRows'];
  for (const key of counted.concat(sections.map(s => s.count))) {
    if (manifest.counts?.[key] !== counts[key]) {
      problems.push(
        `the manifest counts ${manifest.counts?.[key]} ${key} but the file holds ${counts[key]}`,
      );
    }
  }
  const headText = (/** @type {ChainHead[]} */ list) =>
    JSON.stringify(list.map(h => [h.entityRef, h.sequence, h.hash]));
  for (const { heads: key, title } of sections) {
    if (key && headText(manifest[key] ?? []) !== headText(heads[key] ?? [])) {
      problems.push(
        `the chain heads in the manifest do not match the ${title} in the file`,
      );
    }
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
 * The chain positions of a CSV section's records (under its title line and
 * its column line).
 *
 * @param {CsvRow[]} section
 */
function csvChainLinks(section) {
  const columns = section[1]?.cells ?? [];
  const column = (/** @type {string} */ name) => columns.indexOf(name);
  return section.slice(2).map(({ cells }) => ({
    entityRef: cells[column('entity_ref')],
    sequence: Number(cells[column('sequence')]),
    hash: cells[column('hash')],
  }));
}

/**
 * Counts and chain heads of the CSV sections before the manifest: the policy
 * (under the header line), the register and the record sections of the
 * manifest's version (each under a title line and a column line).
 *
 * @param {CsvRow[]} rows
 * @param {number} version
 * @param {string[]} problems
 */
function readCsvBody(rows, version, problems) {
  const [policy = [], register = [], ...records] = csvSections(rows);
  const title = (/** @type {CsvRow[]} */ section) => section[0]?.cells[0];
  if (policy[0]?.cells.join(',') !== CSV_HEADER) {
    problems.push(`the file does not start with "${CSV_HEADER}"`);
  }
  if (title(register) !== 'backup register') {
    problems.push('the "backup register" section is missing');
  }
  const counts = noCounts();
  counts.policyFields = Math.max(0, policy.length - 1);
  counts.registerRows = Math.max(0, register.length - 2);
  /** @type {Partial<Record<HeadsKey, ChainHead[]>>} */
  const heads = {};
  const expected = recordSectionsOf(version);
  expected.forEach((section, i) => {
    const found = records[i] ?? [];
    if (title(found) !== section.title) {
      problems.push(`the "${section.title}" section is missing or misplaced`);
    }
    counts[section.count] = Math.max(0, found.length - 2);
    if (section.heads)
      heads[section.heads] = chainHeadsOf(csvChainLinks(found));
  });
  if (records.length > expected.length) {
    problems.push('the file has sections after the last one expected');
  }
  return { counts, heads };
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
  /** @type {Record<string, ChainHead[]>} */
  const headLines = {};
  const headKeys = RECORD_SECTIONS.map(s => s.csvHead);
  for (const { cells } of rows) {
    const [key, value, sequence, hash] = cells;
    if (headKeys.includes(key)) {
      (headLines[key] ??= []).push({
        entityRef: value,
        sequence: Number(sequence),
        hash,
      });
    } else {
      values[key] = value;
    }
  }
  if (rows[rows.length - 1]?.cells[0] !== 'sha256') {
    problems.push('the manifest does not end with its sha256 line');
  }
  /** @type {EvidencePackManifest} */
  const manifest = {
    version: Number(values.version),
    counts: {
      ...noCounts(),
      policyFields: Number(values.policy_fields),
      registerRows: Number(values.register_rows),
    },
    chainHeads: [],
    sha256: values.sha256,
  };
  for (const { count, csvCount, heads, csvHead } of RECORD_SECTIONS) {
    manifest.counts[count] = Number(values[csvCount]);
    if (heads && csvHead) manifest[heads] = headLines[csvHead] ?? [];
  }
  return manifest;
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
    const { counts } = readCsvBody(rows, PACK_VERSION, []);
    problems.push(
      'no manifest: the pack is incomplete (truncated or interrupted)',
    );
    return { valid: false, format: 'csv', counts, problems };
  }
  const manifest = readCsvManifest(rows.slice(title + 1), problems);
  const { counts, heads } = readCsvBody(
    rows.slice(0, title - 1),
    manifest.version,
    problems,
  );
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
  const counts = noCounts();
  counts.policyFields = Object.keys(doc?.policy ?? {}).length;
  counts.registerRows = doc?.register?.length ?? 0;
  for (const { count } of RECORD_SECTIONS) {
    counts[count] = doc?.[count]?.length ?? 0;
  }
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
  /** @type {Partial<Record<HeadsKey, ChainHead[]>>} */
  const heads = {};
  for (const { count, heads: key } of RECORD_SECTIONS) {
    if (key) heads[key] = chainHeadsOf(doc[count] ?? []);
  }
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
    const { policyFields, registerRows, restoreTests, failures, followUps } =
      result.counts;
    if (result.valid) {
      console.log(
        `${file}: OK (${result.format}: ${policyFields} policy fields, ${registerRows} register rows, ${restoreTests} restore tests, ${failures} failures, ${followUps} follow-ups)`,
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
