import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { freePort } from '../readstore/ferretdbProcess';

/** The real server (`node <build>/src/main.js`) as a child process on loopback, for tests that kill it. */
export class ServerProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(env: Record<string, string>): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [join(__dirname, '../../src/main.js')], {
      env: { ...process.env, MONGODB_URI: '', LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const url = `http://127.0.0.1:${port}`;
    for (let attempt = 0; attempt < 300; attempt++) {
      if (child.exitCode !== null) break;
      if (await fetch(url + '/healthz').then((r) => r.ok, () => false)) return new ServerProcess(child, url);
      await new Promise((resolve) => setTimeout(resolve, 50)); // waiting for a process to listen, bounded
    }
    child.kill('SIGKILL');
    throw new Error('the server process did not start within 15 s');
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }
}
