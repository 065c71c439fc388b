/**
 * Exit codes are part of the command-line contract (README "Collect evidence
 * from your backup tools"): scripts and CronJobs branch on them.
 */
export const EXIT_CODES = {
  ok: 0,
  /** The restore test did not succeed, or the backend rejected records. */
  failed: 1,
  usage: 2,
  /** The backend could not be reached or answered 5xx. */
  backendUnavailable: 3,
  /** The backend refused the token (401) or its restrictions (403). */
  unauthorized: 4,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** An error the CLI reports as one line, with the exit code it implies. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: ExitCode) {
    super(message);
    this.name = new.target.name;
  }
}

/** A wrong option, a missing setting, a tool or repository that cannot be used. */
export class ConfigurationError extends CliError {
  constructor(message: string) {
    super(message, EXIT_CODES.usage);
  }
}

export class BackendUnavailableError extends CliError {
  constructor(message: string) {
    super(message, EXIT_CODES.backendUnavailable);
  }
}

export class BackendAuthError extends CliError {
  constructor(message: string) {
    super(message, EXIT_CODES.unauthorized);
  }
}

/** The backend refused records (400) or the test itself failed. */
export class FailedError extends CliError {
  constructor(message: string) {
    super(message, EXIT_CODES.failed);
  }
}
