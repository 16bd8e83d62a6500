// Makes the generated fleet (tests/support/fleet/) for trying auditty on
// many recordings:
//
//   node --conditions=react-server --import tsx bench/fleet/cli.ts files DIR [--small]
//       tlog files, one per recording, a directory per host: RECORDINGS_DIR=DIR
//   ES_URL=http://127.0.0.1:9200 node --conditions=react-server --import tsx \
//       bench/fleet/cli.ts elasticsearch [--small]
//       loads it (or finds it loaded) and prints the index: ES_INDEX=<that>
//
// --small: 200 recordings, 10,000 messages instead of 5,000 and 500,000.

import { Client } from '@elastic/elasticsearch';
import { FLEET, SMALL_FLEET } from '../../tests/support/fleet';
import { ensureFleetIndex } from '../../tests/support/fleet/load';
import { writeFleetFiles } from '../../tests/support/fleet/write';

const [command, target] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const spec = process.argv.includes('--small') ? SMALL_FLEET : FLEET;
const started = Date.now();

if (command === 'files' && target) {
  const recordings = writeFleetFiles(target, spec);
  console.log(
    `wrote ${recordings.length} recordings (${spec.messages} messages) under ${target} in ${Date.now() - started} ms`,
  );
} else if (command === 'elasticsearch' && process.env.ES_URL) {
  const client = new Client({ node: process.env.ES_URL, requestTimeout: 300_000 });
  const result = await ensureFleetIndex(client, spec);
  console.log(
    `${result.loaded ? 'loaded' : 'found'} ${spec.messages} messages in ${result.index} (${result.ms} ms)`,
  );
  await client.close();
} else {
  console.error(
    'usage: bench/fleet/cli.ts files DIR [--small] | ES_URL=... bench/fleet/cli.ts elasticsearch [--small]',
  );
  process.exitCode = 2;
}
