/**
 * stdout carries results (a JSON document with --json, or a short summary);
 * stderr carries progress and the one-line error, so scripts can read stdout.
 */
export class Output {
  constructor(private readonly json: boolean) {}

  readonly progress = (line: string) => {
    process.stderr.write(`${line}\n`);
  };

  /** The outcome: the document with --json, else the lines. */
  result(document: unknown, lines: string[]) {
    if (this.json) {
      this.document(document);
    } else {
      process.stdout.write(`${lines.join('\n')}\n`);
    }
  }

  /** Always JSON: records printed by --dry-run. */
  document(document: unknown) {
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  }
}
