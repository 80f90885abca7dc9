import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A FerretDB of the test's own (binary from FERRETDB_BIN, exported by .ci/ferretdb.sh) that the test can stop
 * and start again on the same port and state, to see how the adapter lives through an outage.
 */
export class FerretDbProcess {
  private child: ChildProcess | undefined;
  private readonly stateDir = mkdtempSync(join(tmpdir(), 'cscx-ferretdb-test-'));

  private constructor(
    private readonly binary: string,
    readonly port: number,
  ) {}

  static async create(binary: string): Promise<FerretDbProcess> {
    return new FerretDbProcess(binary, await freePort());
  }

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}/`;
  }

  start(): void {
    this.child = spawn(
      this.binary,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${this.stateDir}/`,
        `--state-dir=${this.stateDir}`,
        `--listen-addr=127.0.0.1:${this.port}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=error',
      ],
      { stdio: 'ignore', env: { ...process.env, DO_NOT_TRACK: '1' } },
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL'); // an abrupt outage, not a polite shutdown
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}
