import express, { type ErrorRequestHandler, type Express } from 'express';
import { ItemStore, validateNewItem } from './items.js';

export function createApp(store: ItemStore = new ItemStore()): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '100kb' }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });

  app.get('/api/items', (_req, res) => {
    res.json({ items: store.list() });
  });

  app.get('/api/items/:id', (req, res) => {
    const item = store.get(Number(req.params.id));
    if (item === undefined) {
      res.status(404).json({ error: `no item with id ${req.params.id}` });
      return;
    }
    res.json(item);
  });

  app.post('/api/items', (req, res) => {
    const checked = validateNewItem(req.body);
    if (!checked.ok) {
      res.status(400).json({ error: checked.error });
      return;
    }
    res.status(201).json(store.add(checked.value));
  });

  app.delete('/api/items/:id', (req, res) => {
    if (!store.remove(Number(req.params.id))) {
      res.status(404).json({ error: `no item with id ${req.params.id}` });
      return;
    }
    res.status(204).end();
  });

  // Malformed JSON bodies reach here from express.json(); answer them as JSON like every other route.
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const status = typeof err.status === 'number' ? err.status : 500;
    res.status(status).json({ error: status === 500 ? 'internal error' : err.message });
  };
  app.use(onError);

  return app;
}
