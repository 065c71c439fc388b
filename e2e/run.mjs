// Runs the browser tests against the demo portal: uses a portal that is
// already up on :3000/:7007, or starts `yarn start` and stops it afterwards.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';

const APP = 'http://localhost:3000';
const BACKEND = 'http://localhost:7007/api/backup/health';

const isUp = async url => {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
};

async function waitFor(url, seconds) {
  for (let i = 0; i < seconds; i++) {
    if (await isUp(url)) return;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`${url} did not come up within ${seconds}s`);
}

let portal;
if (!(await isUp(APP)) || !(await isUp(BACKEND))) {
  console.log('e2e: starting the portal (yarn start)');
  portal = spawn('yarn', ['start'], { stdio: 'ignore', detached: true });
}
let code = 1;
try {
  await waitFor(BACKEND, 300);
  await waitFor(APP, 300);
  mkdirSync('e2e-test-report', { recursive: true });
  const tests = spawn(
    process.execPath,
    [
      '--test',
      '--test-concurrency=1',
      ...readdirSync('e2e')
        .filter(name => name.endsWith('.test.mjs'))
        .map(name => `e2e/${name}`),
    ],
    { stdio: 'inherit' },
  );
  code = await new Promise(resolve => tests.on('exit', resolve));
} finally {
  if (portal) {
    try {
      process.kill(-portal.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
process.exit(code);
