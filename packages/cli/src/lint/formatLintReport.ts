import { LintReport } from './lintCatalog';
import { LintProblem, LintSeverity } from './LintProblem';

export const LINT_FORMATS = ['human', 'json', 'github'] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

/** What was checked against: shown in every format's summary. */
export interface LintPolicySource {
  version: string;
  /** Where it came from: a config file, a backend URL or the defaults. */
  source: string;
}

export interface LintOutput extends LintReport {
  policy: LintPolicySource;
  warnOnly: boolean;
}

const countOf = (problems: LintProblem[], severity: LintSeverity) =>
  problems.filter(problem => problem.severity === severity).length;

const plural = (count: number, word: string) =>
  `${count} ${word}${count === 1 ? '' : 's'}`;

/** The message with the entity it concerns, for formats read by people. */
const describe = (problem: LintProblem) =>
  problem.entityRef
    ? `${problem.entityRef}: ${problem.message}`
    : problem.message;

function summaryLine({ problems, files, policy, warnOnly }: LintOutput) {
  const counts = [
    plural(countOf(problems, 'error'), 'error'),
    plural(countOf(problems, 'warning'), 'warning'),
    plural(countOf(problems, 'info'), 'note'),
  ].join(', ');
  return `${counts} in ${plural(files.length, 'file')}; backup policy ${
    policy.version
  } (${policy.source})${
    warnOnly ? '; --warn-only: errors reported as warnings' : ''
  }`;
}

function human(output: LintOutput): string[] {
  return [
    ...output.problems.map(
      problem =>
        `${problem.file}:${problem.line}:${problem.column}  ${
          problem.severity
        }  ${describe(problem)}  [${problem.code}]`,
    ),
    ...(output.problems.length > 0 ? [''] : []),
    summaryLine(output),
  ];
}

function json(output: LintOutput): string[] {
  const { policy, files, problems, warnOnly } = output;
  const document = {
    policy,
    warnOnly,
    files,
    errorCount: countOf(problems, 'error'),
    warningCount: countOf(problems, 'warning'),
    infoCount: countOf(problems, 'info'),
    problems,
  };
  return [JSON.stringify(document, null, 2)];
}

/** GitHub's escaping of a workflow command's message. */
export const escapeGithubData = (text: string) =>
  text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** GitHub's escaping of a workflow command's property value. */
export const escapeGithubProperty = (text: string) =>
  escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

const GITHUB_COMMANDS: Record<LintSeverity, string> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
};

/** Workflow commands: GitHub shows each as an annotation on the file's line. */
function github(output: LintOutput): string[] {
  return [
    ...output.problems.map(problem => {
      const properties = [
        ['file', problem.file],
        ['line', String(problem.line)],
        ['col', String(problem.column)],
        ['title', `backup-assurance ${problem.code}`],
      ]
        .map(([key, value]) => `${key}=${escapeGithubProperty(value)}`)
        .join(',');
      return `::${
        GITHUB_COMMANDS[problem.severity]
      } ${properties}::${escapeGithubData(describe(problem))}`;
    }),
    summaryLine(output),
  ];
}

const FORMATTERS: Record<LintFormat, (output: LintOutput) => string[]> = {
  human,
  json,
  github,
};

/** The report in a format, as the lines to print. */
export const formatLintReport = (output: LintOutput, format: LintFormat) =>
  FORMATTERS[format](output);
