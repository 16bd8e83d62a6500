import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { FilesSource } from '@/lib/sources/files';
import { tinyRecordings, writeFleetFiles } from '../support/fleet/write';
import { FLEET, type FleetRecording } from '../support/fleet';
import { listSuite } from './list-suite';

// The same list tests on the files source: a fleet of the same shape (60
// hosts, 200 users) but 2,000 recordings and 200,000 messages, which the files
// source holds in memory, written as tlog files (one per recording, a
// directory per host) into a temporary directory.

const TINY = 12_000;
const SPEC = { ...FLEET, recordings: 2000, messages: 200_000 };
const root = mkdtempSync(path.join(tmpdir(), 'auditty-list-'));
const dirs = {
  fleet: path.join(root, 'fleet'),
  tiny: path.join(root, 'tiny'),
  live: path.join(root, 'live'),
};
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
const fleet = new FilesSource(dirs.fleet);
const tiny = new FilesSource(dirs.tiny);
const live = new FilesSource(dirs.live, { rescanMs: 0 });
let oracle: FleetRecording[] = [];

beforeAll(async () => {
  const started = Date.now();
  oracle = writeFleetFiles(dirs.fleet, SPEC);
  const lines = [...tinyRecordings(TINY)].map((m) => JSON.stringify(m));
  writeFileSync(path.join(dirs.tiny, 'all.tlog'), `${lines.join('\n')}\n`);
  const written = Date.now() - started;
  await fleet.health();
  console.log(
    `fleet files written in ${written} ms, indexed in ${Date.now() - started - written} ms`,
  );
}, 300_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

listSuite({
  source: () => fleet,
  oracle: () => oracle,
  tiny: () => ({ source: tiny, count: TINY }),
  live: () => ({
    source: live,
    append: async (lines) => {
      appendFileSync(path.join(dirs.live, 'live.tlog'), `${lines.join('\n')}\n`);
    },
  }),
});
