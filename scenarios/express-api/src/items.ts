export interface Item {
  id: number;
  name: string;
  quantity: number;
  createdAt: string;
}

export type NewItem = Pick<Item, 'name' | 'quantity'>;

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

/** Checks a request body before it reaches the store, so the store only ever holds well-formed items. */
export function validateNewItem(body: unknown): Validation<NewItem> {
  if (typeof body !== 'object' || body === null) {
    return { ok: false, error: 'body must be a JSON object' };
  }
  const { name, quantity = 1 } = body as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '') {
    return { ok: false, error: '"name" must be a non-empty string' };
  }
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0) {
    return { ok: false, error: '"quantity" must be a non-negative integer' };
  }
  return { ok: true, value: { name: name.trim(), quantity } };
}

/** In-memory store: the benchmark measures images, not databases (see the native-sqlite scenario for that). */
export class ItemStore {
  private readonly items = new Map<number, Item>();
  private nextId = 1;

  constructor(private readonly now: () => Date = () => new Date()) {}

  list(): Item[] {
    return [...this.items.values()];
  }

  get(id: number): Item | undefined {
    return this.items.get(id);
  }

  add(input: NewItem): Item {
    const item: Item = { id: this.nextId++, ...input, createdAt: this.now().toISOString() };
    this.items.set(item.id, item);
    return item;
  }

  remove(id: number): boolean {
    return this.items.delete(id);
  }
}
