import { Command, CommanderError } from 'commander';
import { lintCommand } from './commands/lint';
import { reportRunsCommand } from './commands/reportRuns';
import { restoreTestCommand } from './commands/restoreTest';
import { CliError, EXIT_CODES, ExitCode } from './errors';

/** One line, whatever the error: CI logs and CronJob events show it whole. */
const oneLine = (message: string) => message.replace(/\s*\n\s*/g, ' ').trim();

function createProgram(onExit: (code: ExitCode) => void): Command {
  return new Command('backup-assurance')
    .description(
      'Check backup annotations in CI, and collect backup-assurance evidence from backup tools for Backstage',
    )
    .exitOverride()
    .addCommand(lintCommand(onExit).exitOverride())
    .addCommand(reportRunsCommand(onExit).exitOverride())
    .addCommand(restoreTestCommand(onExit).exitOverride());
}

/** Runs the CLI and answers its exit code; errors never escape with a stack. */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT_CODES.ok;
  try {
    await createProgram(code => {
      exitCode = code;
    }).parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its message; help and --version end with 0
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    const message = oneLine((error as Error)?.message ?? String(error));
    process.stderr.write(
      error instanceof CliError
        ? `backup-assurance: ${message}\n`
        : `backup-assurance: unexpected error: ${message}\n`,
    );
    return error instanceof CliError ? error.exitCode : EXIT_CODES.failed;
  }
}
