import {
  escapeGithubData,
  escapeGithubProperty,
  formatLintReport,
  LintOutput,
} from './formatLintReport';

const OUTPUT: LintOutput = {
  files: ['catalog-info.yaml', 'more.yaml'],
  policy: { version: '2026.1', source: 'app-config.yaml' },
  warnOnly: false,
  problems: [
    {
      file: 'catalog-info.yaml',
      line: 12,
      column: 36,
      severity: 'error',
      code: 'annotation-invalid',
      message:
        'backup-assurance.io/frequency is "daily"; expected a positive ISO 8601 duration.',
      entityRef: 'component:default/worker',
      annotation: 'backup-assurance.io/frequency',
    },
    {
      file: 'more.yaml',
      line: 3,
      column: 1,
      severity: 'warning',
      code: 'not-an-entity',
      message: 'Not a catalog entity.',
    },
    {
      file: 'more.yaml',
      line: 9,
      column: 7,
      severity: 'info',
      code: 'location-target-remote',
      message: 'Location target https://x.example/a,b is not checked.',
    },
  ],
};

describe('formatLintReport', () => {
  it('prints one line a problem and a summary for people', () => {
    expect(formatLintReport(OUTPUT, 'human')).toEqual([
      'catalog-info.yaml:12:36  error  component:default/worker: backup-assurance.io/frequency is "daily"; expected a positive ISO 8601 duration.  [annotation-invalid]',
      'more.yaml:3:1  warning  Not a catalog entity.  [not-an-entity]',
      'more.yaml:9:7  info  Location target https://x.example/a,b is not checked.  [location-target-remote]',
      '',
      '1 error, 1 warning, 1 note in 2 files; backup policy 2026.1 (app-config.yaml)',
    ]);
  });

  it('says so when nothing was found, and when errors are only warnings', () => {
    expect(
      formatLintReport({ ...OUTPUT, problems: [], warnOnly: true }, 'human'),
    ).toEqual([
      '0 errors, 0 warnings, 0 notes in 2 files; backup policy 2026.1 (app-config.yaml); --warn-only: errors reported as warnings',
    ]);
  });

  it('prints one JSON document with the counts', () => {
    const [text] = formatLintReport(OUTPUT, 'json');
    expect(JSON.parse(text)).toEqual({
      policy: OUTPUT.policy,
      warnOnly: false,
      files: OUTPUT.files,
      errorCount: 1,
      warningCount: 1,
      infoCount: 1,
      problems: OUTPUT.problems,
    });
  });

  it('prints GitHub workflow commands, escaped as GitHub requires', () => {
    expect(formatLintReport(OUTPUT, 'github')).toEqual([
      '::error file=catalog-info.yaml,line=12,col=36,title=backup-assurance annotation-invalid::component:default/worker: backup-assurance.io/frequency is "daily"; expected a positive ISO 8601 duration.',
      '::warning file=more.yaml,line=3,col=1,title=backup-assurance not-an-entity::Not a catalog entity.',
      '::notice file=more.yaml,line=9,col=7,title=backup-assurance location-target-remote::Location target https://x.example/a,b is not checked.',
      '1 error, 1 warning, 1 note in 2 files; backup policy 2026.1 (app-config.yaml)',
    ]);
  });

  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeGithubData('100% done\r\nnext: a,b')).toBe(
      '100%25 done%0D%0Anext: a,b',
    );
    expect(escapeGithubProperty('dir,x/a:b%\n.yaml')).toBe(
      'dir%2Cx/a%3Ab%25%0A.yaml',
    );
    const [line] = formatLintReport(
      {
        ...OUTPUT,
        problems: [
          {
            ...OUTPUT.problems[1],
            file: 'odd:name,1.yaml',
            message: 'two\nlines',
          },
        ],
      },
      'github',
    );
    expect(line).toBe(
      '::warning file=odd%3Aname%2C1.yaml,line=3,col=1,title=backup-assurance not-an-entity::two%0Alines',
    );
  });
});
