/**
 * npx tsx scripts/writePthExport.ts [DIR]      (default fixtures/pth-export)
 * Writes the .pth export fixtures with our writer (src/testing/pthExport.ts says which networks), and nets.json
 * describing them; then `/usr/bin/python3 scripts/check_pth_export.py DIR` loads them in PyTorch and records its
 * outputs. src/io/pth/writePth.test.ts checks both.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORT_FIXTURES, fixtureManifest, fixturePth } from '../src/testing/pthExport';

const dir = process.argv[2] ?? join(import.meta.dirname, '..', 'fixtures', 'pth-export');
mkdirSync(dir, { recursive: true });
for (const f of EXPORT_FIXTURES) writeFileSync(join(dir, `${f.name}.pth`), fixturePth(f));
writeFileSync(join(dir, 'nets.json'), fixtureManifest());
console.error(`wrote ${EXPORT_FIXTURES.length} .pth files and nets.json to ${dir}`);
