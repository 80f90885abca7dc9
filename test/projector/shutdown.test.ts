import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('Shutdown of a process whose only work left is closing the services', function () {
  this.timeout(60_000);

  it('stays alive until close() has finished (the threads being closed keep it running)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cscx-close-'));
    try {
      const output = execFileSync(process.execPath, [join(__dirname, '../support/closeServices.js'), dataDir], { encoding: 'utf8', timeout: 50_000 });
      expect(output.trim().split('\n')).to.include('closed');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
