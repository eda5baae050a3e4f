// Runs SQL statements with DuckDB and prints each result as one JSON line.
// Usage: node query.mjs "SELECT ..." ["SELECT ..." ...]
import { DuckDBInstance } from '@duckdb/node-api';

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
for (const sql of process.argv.slice(2)) {
    const reader = await connection.runAndReadAll(sql);
    console.log(JSON.stringify(reader.getRowObjectsJson()));
}
