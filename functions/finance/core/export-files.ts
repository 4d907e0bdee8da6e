import { stringify } from 'csv-stringify/sync';
import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import { currencyExponent } from '#shared/currency';
import { decimalText, formatMoney } from './money.ts';

/**
 * Parquet and CSV files written side by side from one stream of rows: the rows are never all in
 * memory (a row group at a time), both files see the same rows in the same order, and nothing in
 * either depends on when or where it was written, so the same rows give the same bytes.
 */

/** Every money column has this scale in Parquet: one column has one scale, and 4 holds every ISO 4217 exponent. */
export const MONEY_SCALE = 4;
const MONEY_PRECISION = 18;
/** Rows per Parquet row group and per CSV write: what is held in memory at once. */
export const ROWS_PER_GROUP = 10_000;

export type ColumnKind = 'string' | 'int32' | 'int64' | 'money' | 'timestamp';
export interface Column {
  name: string;
  kind: ColumnKind;
  nullable?: boolean;
}
/** Money in a row: minor units and their currency (CSV writes it with the currency's exponent). */
export interface Money {
  minor: number;
  currency: string;
}
export type Cell = string | number | Money | null;
export type Row = Record<string, Cell>;

/** Where a file's bytes go; `close` answers its digest and size once it is stored. */
export interface FileSink {
  write(bytes: Uint8Array): void;
  close(): Promise<{ sha256: string; bytes: number }>;
}

function schemaElement(c: Column): SchemaElement {
  const repetition_type = c.nullable ? 'OPTIONAL' : 'REQUIRED';
  switch (c.kind) {
    case 'string':
      return {
        name: c.name,
        type: 'BYTE_ARRAY',
        converted_type: 'UTF8',
        logical_type: { type: 'STRING' },
        repetition_type,
      };
    case 'int32':
      return { name: c.name, type: 'INT32', repetition_type };
    case 'int64':
      return { name: c.name, type: 'INT64', repetition_type };
    case 'money':
      return {
        name: c.name,
        type: 'INT64',
        converted_type: 'DECIMAL',
        precision: MONEY_PRECISION,
        scale: MONEY_SCALE,
        logical_type: { type: 'DECIMAL', precision: MONEY_PRECISION, scale: MONEY_SCALE },
        repetition_type,
      };
    case 'timestamp':
      return {
        name: c.name,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
        repetition_type,
      };
  }
}

/** Minor units at the Parquet money scale, exactly. */
export const scaledMoney = (m: Money): bigint =>
  BigInt(m.minor) * 10n ** BigInt(MONEY_SCALE - currencyExponent(m.currency));

function parquetValue(c: Column, v: Cell): unknown {
  if (v === null) return null;
  switch (c.kind) {
    case 'money':
      return scaledMoney(v as Money);
    case 'int64':
      return BigInt(v as number);
    case 'timestamp':
      return BigInt(Date.parse(v as string));
    default:
      return v;
  }
}

function csvValue(c: Column, v: Cell): string {
  if (v === null) return '';
  if (c.kind === 'money') return formatMoney((v as Money).minor, (v as Money).currency);
  return String(v);
}

/** A Parquet writer whose bytes go to the sink after each row group instead of piling up. */
function sinkWriter(sink: FileSink): ByteWriter {
  const writer = new ByteWriter();
  const flush = () => {
    if (writer.index > 0) sink.write(new Uint8Array(writer.buffer.slice(0, writer.index)));
    writer.index = 0;
  };
  // ParquetWriter calls flush after each row group and finish at the end.
  Object.assign(writer, { flush, finish: flush });
  return writer;
}

export interface WrittenFiles {
  rows: number;
  /** Sum of each money column, at the Parquet scale, as decimal text. */
  sums: Record<string, string>;
  parquet: { sha256: string; bytes: number };
  csv: { sha256: string; bytes: number };
}

/** Writes `rows` to a Parquet and a CSV sink together; `onGroup` hears the running row count. */
export async function writeDataset(
  columns: readonly Column[],
  rows: AsyncIterable<Row>,
  sinks: { parquet: FileSink; csv: FileSink },
  onGroup?: (rows: number) => void,
): Promise<WrittenFiles> {
  const parquet = new ParquetWriter({
    writer: sinkWriter(sinks.parquet),
    schema: [{ name: 'root', num_children: columns.length }, ...columns.map(schemaElement)],
    createdBy: 'quartermaster finance export',
  });
  const moneyColumns = columns.filter((c) => c.kind === 'money');
  const sums = new Map(moneyColumns.map((c) => [c.name, 0n]));
  sinks.csv.write(Buffer.from(stringify([columns.map((c) => c.name)])));
  let count = 0;
  let group: Row[] = [];
  const flush = async () => {
    if (!group.length) return;
    await parquet.write({
      columnData: columns.map((c) => ({
        name: c.name,
        data: group.map((r) => parquetValue(c, r[c.name] ?? null)),
      })),
      rowGroupSize: group.length,
    });
    sinks.csv.write(
      Buffer.from(stringify(group.map((r) => columns.map((c) => csvValue(c, r[c.name] ?? null))))),
    );
    count += group.length;
    group = [];
    onGroup?.(count);
  };
  for await (const row of rows) {
    for (const c of moneyColumns) {
      const v = row[c.name];
      if (v) sums.set(c.name, (sums.get(c.name) ?? 0n) + scaledMoney(v as Money));
    }
    group.push(row);
    if (group.length >= ROWS_PER_GROUP) await flush();
  }
  await flush();
  await parquet.finish();
  const [p, c] = [await sinks.parquet.close(), await sinks.csv.close()];
  return {
    rows: count,
    sums: Object.fromEntries([...sums].map(([name, v]) => [name, decimalText(v, MONEY_SCALE)])),
    parquet: p,
    csv: c,
  };
}
