import type Database from 'better-sqlite3';

/**
 * Prepared statements keyed by SQL text. Filters differ in shape only as much as the calling code does, so the
 * cache stays small; the bound is a guard against code that builds filters from unbounded input.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly capacity = 512,
  ) {}

  get(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      if (this.statements.size >= this.capacity) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
