// Measurements 1 and 2 of bench/README.md: reading one recording through
// auditty's messages API against a bare search_after loop on the same
// cluster, page size and run; time to first byte; the server's peak RSS; and
// what `tlog-play -r es` makes of the same recording.

import { spawnSync } from 'node:child_process';
import { Client } from '@elastic/elasticsearch';
import { PAGE_SIZE } from '@/lib/sources/elasticsearch/queries';
import { treeRss } from './lib/processes';

export interface StreamRun {
  ms: number;
  messages: number;
  bytes: number;
}

/** What a careful client does without auditty: PIT + search_after on id, pages of PAGE_SIZE. */
export async function bareSearchAfter(
  client: Client,
  index: string,
  rec: string,
): Promise<StreamRun> {
  const started = performance.now();
  let pit = (await client.openPointInTime({ index, keep_alive: '2m' })).id;
  let after: unknown[] | undefined;
  let messages = 0;
  let bytes = 0;
  for (;;) {
    const page = await client.search({
      size: PAGE_SIZE,
      track_total_hits: false,
      pit: { id: pit, keep_alive: '2m' },
      query: { bool: { filter: [{ term: { 'rec.keyword': rec } }] } },
      sort: [{ id: 'asc' }],
      ...(after ? { search_after: after } : {}),
    });
    pit = page.pit_id ?? pit;
    for (const hit of page.hits.hits) {
      messages += 1;
      bytes += JSON.stringify(hit._source).length + 1;
    }
    const last = page.hits.hits[page.hits.hits.length - 1];
    if (!last?.sort || page.hits.hits.length < PAGE_SIZE) break;
    after = last.sort;
  }
  await client.closePointInTime({ id: pit });
  return { ms: performance.now() - started, messages, bytes };
}

/** Reads the messages API to the end; samples the server's RSS meanwhile. */
export async function apiStream(
  appUrl: string,
  rec: string,
  serverPid: number,
): Promise<StreamRun & { ttfbMs: number; peakRss: number }> {
  let peakRss = treeRss(serverPid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, treeRss(serverPid));
  }, 20);
  const started = performance.now();
  try {
    const response = await fetch(`${appUrl}/api/recordings/${encodeURIComponent(rec)}/messages`);
    if (!response.ok || !response.body) throw new Error(`messages API answered ${response.status}`);
    const reader = response.body.getReader();
    let ttfbMs = -1;
    let bytes = 0;
    let newlines = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (ttfbMs < 0) ttfbMs = performance.now() - started;
      bytes += value.length;
      // Buffer.indexOf is native: a JS loop over every byte would slow the
      // reader, not the server, and blur the comparison.
      const buffer = Buffer.from(value.buffer, value.byteOffset, value.length);
      for (let at = buffer.indexOf(10); at >= 0; at = buffer.indexOf(10, at + 1)) newlines += 1;
    }
    return { ms: performance.now() - started, ttfbMs, messages: newlines, bytes, peakRss };
  } finally {
    clearInterval(sampler);
  }
}

/** tlog-play's own Elasticsearch reader on the same recording, bounded in time. */
export function tlogPlayEs(esUrl: string, index: string, rec: string, timeoutS: number) {
  return runTlogPlay(
    `exec tlog-play -r es --es-baseurl=${esUrl}/${index}/_search ` +
      `--es-query='rec:"${rec}"' --goto=end`,
    timeoutS,
  );
}

/**
 * Runs a tlog-play command line under `script` (tlog-play wants a terminal:
 * with its output to a file or pipe it busy-waits and writes nothing) and
 * reports how it went: its time, the bytes the terminal got, and what it
 * said if it failed.
 */
export function runTlogPlay(command: string, timeoutS: number) {
  const started = performance.now();
  const result = spawnSync('timeout', [String(timeoutS), 'script', '-qec', command, '/dev/null'], {
    input: '',
    maxBuffer: 1 << 30,
  });
  const ms = performance.now() - started;
  const out = result.stdout ?? Buffer.alloc(0);
  const text = out.toString('latin1');
  // What it says when it gives up, without its terminal-reset bytes.
  const error = text
    .replace(/\x1b\[[0-9;?]*[A-Za-z]|\0/g, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(-2)
    .join(' / ');
  const outcome =
    result.status === 124
      ? `no result: still running after ${timeoutS} s (killed), ${out.length} bytes written`
      : result.status === 0
        ? `finished in ${(ms / 1000).toFixed(1)} s, ${out.length} bytes written`
        : `failed (exit ${result.status}) after ${(ms / 1000).toFixed(1)} s${error ? `: ${error}` : ''}, ${out.length} bytes written`;
  return { ms, bytes: out.length, status: result.status, outcome };
}
