export interface Warehouse {
  name: string;
  city: string;
  /** Stock per product code. */
  stock: Record<string, number>;
}

export interface ProductLine {
  code: string;
  total: number;
  /** Warehouse holding most of it. */
  mostIn: string;
}

export interface InventoryReport {
  generatedAt: string;
  node: string;
  warehouses: number;
  units: number;
  lines: ProductLine[];
}

const WAREHOUSES: Warehouse[] = [
  { name: 'North', city: 'Leeds', stock: { bolt: 1200, nut: 950, washer: 3000 } },
  { name: 'South', city: 'Lyon', stock: { bolt: 400, nut: 1310, hinge: 75 } },
  { name: 'East', city: 'Brno', stock: { washer: 820, hinge: 210, bracket: 64 } },
];

/** Totals per product across warehouses, largest first: computed on the server for every request. */
export function buildReport(now: Date = new Date(), warehouses: Warehouse[] = WAREHOUSES): InventoryReport {
  const totals = new Map<string, { total: number; best: number; mostIn: string }>();
  for (const warehouse of warehouses) {
    for (const [code, count] of Object.entries(warehouse.stock)) {
      const line = totals.get(code) ?? { total: 0, best: -1, mostIn: '' };
      line.total += count;
      if (count > line.best) {
        line.best = count;
        line.mostIn = warehouse.name;
      }
      totals.set(code, line);
    }
  }
  const lines = [...totals].map(([code, { total, mostIn }]) => ({ code, total, mostIn }));
  lines.sort((a, b) => b.total - a.total || a.code.localeCompare(b.code));
  return {
    generatedAt: now.toISOString(),
    node: process.version,
    warehouses: warehouses.length,
    units: lines.reduce((sum, line) => sum + line.total, 0),
    lines,
  };
}
