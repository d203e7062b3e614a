import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from './app.js';
import { openNoteStore, sqliteVersion } from './notes.js';

// The benchmark harness runs containers with host networking and picks the port, so both come from the environment.
const host = process.env.HOST ?? '0.0.0.0';
const port = Number(process.env.PORT ?? 3000);
const dataDir = process.env.DATA_DIR ?? join(process.cwd(), 'data');

mkdirSync(dataDir, { recursive: true });
const store = openNoteStore(join(dataDir, 'notes.db'));

const server = createApp(store, sqliteVersion()).listen(port, host, () => {
  console.log(`native-sqlite listening on http://${host}:${port}, data in ${dataDir}`);
});

// PID 1 in a container gets SIGTERM from `docker stop`: close the server, then the database (checkpointing the WAL).
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () =>
    server.close(() => {
      store.close();
      process.exit(0);
    }),
  );
}
