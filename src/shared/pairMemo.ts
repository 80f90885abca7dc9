/**
 * Strings derived from a pair of strings (a workspace and an id), remembered so that the same pair answers the
 * same string object: derived once per pair instead of once per question, and a string whose hash V8 already
 * knows when it is looked up again. Keyed by the first part, then the second: a key joined per question would
 * itself be a new string to hash each time. Bounded: everything is forgotten once it holds `limit` pairs, which
 * costs only deriving again.
 */
export class PairMemo {
  private size = 0;
  private readonly byFirst = new Map<string, Map<string, string>>();

  constructor(
    private readonly limit: number,
    private readonly derive: (first: string, second: string) => string,
  ) {}

  get(first: string, second: string): string {
    let ofFirst = this.byFirst.get(first);
    if (ofFirst === undefined) this.byFirst.set(first, (ofFirst = new Map()));
    let derived = ofFirst.get(second);
    if (derived === undefined) {
      if (this.size >= this.limit) {
        this.byFirst.clear();
        this.size = 0;
        return this.get(first, second);
      }
      ofFirst.set(second, (derived = this.derive(first, second)));
      this.size += 1;
    }
    return derived;
  }

  /** Drops everything remembered under `first` (a removed workspace), which would otherwise stay until the limit. */
  forget(first: string): void {
    this.size -= this.byFirst.get(first)?.size ?? 0;
    this.byFirst.delete(first);
  }

  holds(first: string): boolean {
    return this.byFirst.has(first);
  }
}
