import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createApp } from './app.js';
import { ItemStore, validateNewItem } from './items.js';

describe('validateNewItem', () => {
  it('rejects a missing name', () => {
    expect(validateNewItem({ quantity: 2 })).toEqual({ ok: false, error: '"name" must be a non-empty string' });
  });

  it('defaults quantity to 1 and trims the name', () => {
    expect(validateNewItem({ name: '  bolt ' })).toEqual({ ok: true, value: { name: 'bolt', quantity: 1 } });
  });
});

describe('items API', () => {
  const fixed = () => new Date('2024-01-01T00:00:00Z');

  it('creates an item and reads it back', async () => {
    const app = createApp(new ItemStore(fixed));
    const created = await request(app).post('/api/items').send({ name: 'nut', quantity: 3 }).expect(201);
    expect(created.body).toEqual({ id: 1, name: 'nut', quantity: 3, createdAt: '2024-01-01T00:00:00.000Z' });
    await request(app).get('/api/items/1').expect(200, created.body);
  });

  it('answers malformed JSON with 400', async () => {
    await request(createApp()).post('/api/items').set('content-type', 'application/json').send('{').expect(400);
  });
});
