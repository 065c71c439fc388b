import { Command, Option } from 'commander';
import { BackupAssuranceClient } from '../backend/BackupAssuranceClient';
import { ConfigurationError, ExitCode } from '../errors';
import {
  formatLintReport,
  LINT_FORMATS,
  LintFormat,
} from '../lint/formatLintReport';
import {
  asWarnings,
  lintCatalogFiles,
  lintExitCode,
} from '../lint/lintCatalog';
import {
  defaultPolicy,
  policyFromBackend,
  policyFromConfigFiles,
  ResolvedPolicy,
} from '../lint/lintPolicy';
import { collect, parseCount } from './commonOptions';

interface LintCommandOptions {
  config: string[];
  backend?: string;
  format: LintFormat;
  warnOnly?: boolean;
  retries: number;
}

/** --config, else --backend or $BACKUP_ASSURANCE_URL, else the defaults. */
async function resolvePolicy(
  options: LintCommandOptions,
): Promise<ResolvedPolicy> {
  if (options.config.length > 0 && options.backend) {
    throw new ConfigurationError(
      'pass either --config or --backend: the policy comes from one place',
    );
  }
  if (options.config.length > 0) {
    return policyFromConfigFiles(options.config);
  }
  const backend = options.backend ?? process.env.BACKUP_ASSURANCE_URL;
  if (backend) {
    const client = BackupAssuranceClient.fromEnvironment({
      backend,
      retries: options.retries,
    });
    return policyFromBackend(client, backend);
  }
  return defaultPolicy();
}

export async function lint(
  patterns: string[],
  options: LintCommandOptions,
): Promise<ExitCode> {
  const { policy, source } = await resolvePolicy(options);
  const report = await lintCatalogFiles(patterns, process.cwd(), {
    policy,
    now: new Date(),
  });
  const problems = options.warnOnly
    ? asWarnings(report.problems)
    : report.problems;
  const lines = formatLintReport(
    {
      ...report,
      problems,
      policy: source,
      warnOnly: Boolean(options.warnOnly),
    },
    options.format,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  return lintExitCode(problems);
}

export function lintCommand(onExit: (code: ExitCode) => void): Command {
  return new Command('lint')
    .description(
      'check the backup annotations of catalog files against the backup policy (exit 1 on errors)',
    )
    .argument(
      '[globs...]',
      'catalog files to check; local Location targets are followed',
      ['catalog-info.yaml'],
    )
    .option(
      '--config <file>',
      'app-config file with backup.policy; repeatable, later files override earlier ones',
      collect,
      [],
    )
    .option(
      '--backend <url>',
      'take the policy from the running backend (default: $BACKUP_ASSURANCE_URL; token from $BACKUP_ASSURANCE_TOKEN); without it or --config, the default policy',
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(LINT_FORMATS)
        .default('human'),
    )
    .option('--warn-only', 'report errors as warnings and exit 0')
    .option(
      '--retries <count>',
      'retries after a dropped connection or a 502/503/504 (with --backend)',
      parseCount,
      2,
    )
    .action(async (patterns: string[], options: LintCommandOptions) =>
      onExit(await lint(patterns, options)),
    );
}
