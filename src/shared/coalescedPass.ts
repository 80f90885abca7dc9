/**
 * Runs `pass` when poked, one pass at a time: pokes that come during a pass ask for exactly one more (what they
 * announce may have been missed by the pass already under way). `pass` handles its own failures.
 */
export class CoalescedPass {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly pass: () => Promise<void>) {}

  poke(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once no pass runs or is asked for. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.pass();
    } while (this.again);
  }
}
