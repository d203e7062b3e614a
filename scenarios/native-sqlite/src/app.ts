import express, { type ErrorRequestHandler, type Express } from 'express';
import type { NoteStore } from './notes.js';

export function createApp(store: NoteStore, sqliteVersion: string): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', sqlite: sqliteVersion });
  });

  app.get('/notes', (req, res) => {
    const limit = Math.min(Math.max(Number(req.query.limit ?? 20) || 20, 1), 100);
    res.json({ notes: store.list(limit) });
  });

  app.get('/notes/:id', (req, res) => {
    const note = store.get(Number(req.params.id));
    if (note === undefined) {
      res.status(404).json({ error: `no note with id ${req.params.id}` });
      return;
    }
    res.json(note);
  });

  app.post('/notes', (req, res) => {
    const text: unknown = req.body?.text;
    if (typeof text !== 'string' || text.trim() === '' || text.length > 2000) {
      res.status(400).json({ error: '"text" must be a non-empty string of at most 2000 characters' });
      return;
    }
    res.status(201).json(store.add(text.trim()));
  });

  app.delete('/notes/:id', (req, res) => {
    if (!store.remove(Number(req.params.id))) {
      res.status(404).json({ error: `no note with id ${req.params.id}` });
      return;
    }
    res.status(204).end();
  });

  // Malformed JSON bodies reach here from express.json(); answer them as JSON like every other route.
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const status = typeof err.status === 'number' ? err.status : 500;
    if (status === 500) console.error(err);
    res.status(status).json({ error: status === 500 ? 'internal error' : err.message });
  };
  app.use(onError);

  return app;
}
