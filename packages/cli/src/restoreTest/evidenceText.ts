import { EVIDENCE_LIMITS } from '@backup-assurance/plugin-backup-common';

// eslint-disable-next-line no-control-regex -- terminal escapes start with ESC
const ANSI_ESCAPE = /\u001b\[[0-9;?]*[A-Za-z]/g;
// restic redraws "[0:01] 42.00%  1 / 2 packs" lines; they say nothing afterwards
const PROGRESS_LINE = /^\[\d+:\d{2}(:\d{2})?\]\s+\d+(\.\d+)?%.*$/;
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Tool output as the API stores it: no NUL, no lone surrogate (both are
 * refused, see README "Input rules"), no terminal control sequences or
 * progress redraws.
 */
export function cleanToolOutput(text: string): string {
  return (
    text
      .replaceAll('\u0000', '')
      .replace(LONE_SURROGATE, '\uFFFD')
      .replace(ANSI_ESCAPE, '')
      .split(/\r?\n/)
      // a carriage return redraws the line: only what follows the last one shows
      .map(line => line.slice(line.lastIndexOf('\r') + 1).trimEnd())
      .filter(line => line && !PROGRESS_LINE.test(line))
      .join('\n')
  );
}

/** The end of a text within `limit` characters: a tool says why it failed last. */
function tail(text: string, limit: number): string {
  if (text.length <= limit) return text;
  if (limit <= 1) return '';
  let cut = text.slice(text.length - (limit - 1));
  // never start inside a surrogate pair
  if (/^[\uDC00-\uDFFF]/.test(cut)) cut = cut.slice(1);
  const lineStart = cut.indexOf('\n');
  if (lineStart >= 0 && lineStart < cut.length / 2) {
    cut = cut.slice(lineStart + 1);
  }
  return `…${cut}`;
}

/**
 * A summary line followed by as much of the end of a tool's log as fits in
 * one free-text field of a record (EVIDENCE_LIMITS.longText).
 */
export function boundedNotes(
  summary: string,
  log = '',
  limit: number = EVIDENCE_LIMITS.longText,
): string {
  const head = tail(cleanToolOutput(summary), limit);
  const room = limit - head.length - 1;
  const excerpt = room > 40 ? tail(cleanToolOutput(log), room) : '';
  return excerpt ? `${head}\n${excerpt}` : head;
}
