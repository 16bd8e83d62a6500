import { callerScope } from '@/lib/access';
import { auditFound } from '@/lib/audit';
import { commandsInWorker, reserveTextExport } from '@/lib/export/text-budget';
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
    let document;
    try {
      document = await commandsInWorker(lines, summary.hasInput);
    } finally {
      await lines.close();
    }
    return Response.json(
      { recording: id, ...document },
      { headers: { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } },
    );
  } finally {
    release();
  }
});
