import { buildReport } from '@/lib/inventory';

// Render on every request, on the server: the smoke test proves the Next.js server itself runs in the image,
// not that a prerendered HTML file can be served.
export const dynamic = 'force-dynamic';

export default function Home() {
  const report = buildReport();
  // One string, so the HTML holds it as one text node that a smoke test can look for.
  const summary = `${report.units} units in stock across ${report.warehouses} warehouses`;
  return (
    <main>
      <h1>Inventory report</h1>
      <p>{summary}</p>
      <p>
        Rendered on the server by Node.js {report.node} at {report.generatedAt}.
      </p>
      <table>
        <thead>
          <tr>
            <th>Product</th>
            <th>Units</th>
            <th>Mostly in</th>
          </tr>
        </thead>
        <tbody>
          {report.lines.map((line) => (
            <tr key={line.code}>
              <td>{line.code}</td>
              <td>{line.total}</td>
              <td>{line.mostIn}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
