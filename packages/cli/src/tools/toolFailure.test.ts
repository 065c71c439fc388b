import { ProcessRun } from '../process/runProcess';
import { toolFailureLine } from './toolFailure';

const failed = (output: string): ProcessRun => ({
  commandLine: 'tool',
  exitCode: 2,
  stdout: '',
  stderr: output,
  output,
});

describe('toolFailureLine', () => {
  it("takes restic's and pgBackRest's tagged line", () => {
    expect(
      toolFailureLine(
        failed('repository opened\nFatal: wrong password or no key found\n'),
      ),
    ).toBe('Fatal: wrong password or no key found');
    expect(
      toolFailureLine(
        failed('INFO: verify\nERROR: [055]: unable to load info file\nend'),
      ),
    ).toBe('ERROR: [055]: unable to load info file');
  });

  it("takes borg's error before its traceback and platform details", () => {
    // how borg 1.2 reports an exception (shortened)
    const output = [
      'Data integrity error: Segment entry checksum mismatch [segment 2, offset 104]',
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3/dist-packages/borg/archiver.py", line 5213, in main',
      'borg.helpers.errors.IntegrityError: Data integrity error: Segment entry checksum mismatch [segment 2, offset 104]',
      '',
      'Platform: Linux vm 6.1.0 #1 SMP x86_64',
      'Borg: 1.2.4  Python: CPython 3.11.2 msgpack: 1.0.3',
      "sys.argv: ['/usr/bin/borg', 'extract', '::nightly-2']",
      'SSH_ORIGINAL_COMMAND: None',
    ].join('\n');
    expect(toolFailureLine(failed(output))).toBe(
      'Data integrity error: Segment entry checksum mismatch [segment 2, offset 104]',
    );
  });

  it('else takes the last line, or the exit code when nothing was printed', () => {
    expect(
      toolFailureLine(failed('Repository /backups/x does not exist.\n')),
    ).toBe('Repository /backups/x does not exist.');
    expect(toolFailureLine(failed(''))).toBe('exit code 2');
  });
});
