import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureLines } from '../fixtures';
import { FLEET, fleet, hostName, userName, type FleetRecording, type FleetSpec } from './index';

// The generated fleet (tests/support/fleet/index.ts) as files, for the files
// source, and the many one-message recordings that page past 10,000.

type Message = Record<string, unknown>;

/** Writes the fleet as tlog files, one per recording under a directory per host. */
export function writeFleetFiles(dir: string, spec: FleetSpec = FLEET): FleetRecording[] {
  const metas: FleetRecording[] = [];
  for (const { meta, messages } of fleet(spec)) {
    const hostDir = path.join(dir, meta.host);
    mkdirSync(hostDir, { recursive: true });
    writeFileSync(
      path.join(hostDir, `${meta.rec}.tlog`),
      `${messages.map((m) => JSON.stringify(m)).join('\n')}\n`,
    );
    metas.push(meta);
  }
  return metas;
}

/**
 * Many one-message recordings (the first message of resize.tlog, which shows
 * `stty size`), a minute apart: enough to page past 10,000 recordings and
 * 10,000 search hits.
 */
export function* tinyRecordings(
  count: number,
  anchorMs = FLEET.anchorMs,
): Generator<Record<string, unknown>> {
  const source = JSON.parse(fixtureLines('resize')[0] ?? '{}') as Message;
  for (let i = 0; i < count; i++) {
    yield {
      ...source,
      host: hostName(i % 10),
      user: userName(i % 10),
      rec: `tiny-${String(i).padStart(6, '0')}`,
      session: i,
      time: (anchorMs - (count - i) * 60_000) / 1000,
    };
  }
}
