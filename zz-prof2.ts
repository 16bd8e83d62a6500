import { readFileSync, writeFileSync } from 'node:fs';
import { exportText } from '@/lib/export/text';
for (const name of process.argv.slice(2)) {
  const lines = readFileSync(`tests/fixtures/recordings/${name}.tlog`, 'utf8').split('\n');
  let out = '';
  for await (const c of exportText(lines)) out += c;
  writeFileSync(`/tmp/scratch/${name}.text2`, out);
}
