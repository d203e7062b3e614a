import Database from 'better-sqlite3';

export interface Note {
  id: number;
  text: string;
  created_at: string;
}

export interface NoteStore {
  add(text: string): Note;
  get(id: number): Note | undefined;
  list(limit: number): Note[];
  remove(id: number): boolean;
  close(): void;
}

/** Opens (or creates) the database file and prepares every statement once, up front. */
export function openNoteStore(file: string): NoteStore {
  const db = new Database(file);
  // WAL lets readers run while a write is in progress; it keeps its side files beside the database file,
  // which is why the images give the app a writable data folder rather than a single writable file.
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS notes (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    )
  `);

  // RETURNING reads the row back as SQLite stored it (id and default timestamp included).
  const insert = db.prepare<[string], Note>('INSERT INTO notes (text) VALUES (?) RETURNING id, text, created_at');
  const byId = db.prepare<[number], Note>('SELECT id, text, created_at FROM notes WHERE id = ?');
  const latest = db.prepare<[number], Note>('SELECT id, text, created_at FROM notes ORDER BY id DESC LIMIT ?');
  const remove = db.prepare<[number]>('DELETE FROM notes WHERE id = ?');

  return {
    add: (text) => insert.get(text) as Note,
    get: (id) => byId.get(id),
    list: (limit) => latest.all(limit),
    remove: (id) => remove.run(id).changes > 0,
    close: () => db.close(),
  };
}

export function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS version').get() as { version: string }).version;
  } finally {
    db.close();
  }
}
