import { callerScope } from '@/lib/access';
import { auditFound } from '@/lib/audit';
import type { CommandsDocument } from '@/lib/export/commands';
import { reserveTextExport, runInWorker } from '@/lib/export/text-budget';
import { notFound, recordingRoute } from '@/lib/http';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

/**
 * The command lines entered in the recording (docs/commands.md), found by
 * playing it through a terminal in the export worker (a place among those
 * first, or a 503 when too many are waiting), as one JSON document.
 */
export const GET = recordingRoute(async (id, request) => {
  const scope = await callerScope();
  const source = getSource();
  const summary = await auditFound('recording-commands', id, await source.get(scope, id));
  if (!summary) throw notFound();
  const release = await reserveTextExport();
  try {
    const lines = await source.messages(scope, id, request.signal);
    if (!lines) throw notFound();
    let body = '';
    try {
      for await (const chunk of runInWorker(
        { kind: 'commands', inputLogged: summary.hasInput },
        lines,
      ))
        body += chunk;
    } finally {
      await lines.close();
    }
    const document = JSON.parse(body) as CommandsDocument;
    return Response.json(
      { recording: id, ...document },
      { headers: { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } },
    );
  } finally {
    release();
  }
});
