/** Plain-text table printing for benchmark results (readable in a terminal and pasteable into notes). */

export type Cell = string | number;

export function formatTable(headers: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map((c) => String(c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
  // numbers read better right-aligned; the first column is a label
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

export function printTable(title: string, headers: string[], rows: Cell[][]): void {
  console.log(`\n${title}\n${formatTable(headers, rows)}`);
}
