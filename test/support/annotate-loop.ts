/**
 * Child process for the concurrency and kill -9 tests: adds `count` annotations to a case, one
 * transaction each, and prints "committed <id>" after each commit returns.
 * Usage: node annotate-loop.js <case> <count> <label>
 */
import { openCase } from '../../db/open-case';
import { addAnnotation } from '../../db/annotation-store';

const [casePath, countText, label] = process.argv.slice(2);
const db = openCase(casePath);
const count = Number(countText);
for (let i = 0; i < count; i++) {
  const a = addAnnotation(db, { target: { kind: 'packet', packetId: 1 + (i % 5) }, text: `${label} ${i}`, tags: [label] });
  process.stdout.write(`committed ${a.id}\n`);
}
db.close();
