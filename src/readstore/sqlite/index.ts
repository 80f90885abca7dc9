export { openSqliteReadStore } from './sqliteReadStore';
