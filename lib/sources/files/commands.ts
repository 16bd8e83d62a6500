import 'server-only';
import { commandsInWorker, reserveTextExport } from '@/lib/export/text-budget';
import type { CommandEntry } from '@/lib/replay/commands/types';
import type { IndexedRecording } from './recordings';

// The command timelines of the files source's recordings, for `cmd=`
// (docs/commands.md): found in the export worker the first time a command
// search needs them, and kept while the recording's file does not change.
// A directory of thousands of recordings makes the first command search
// slow; the Elasticsearch source keeps them in the summaries instead.

export class FileCommands {
  private readonly cache = new Map<string, { key: string; commands: CommandEntry[] }>();

  /** The commands of each recording (by id), found where not known yet. */
  async of(recordings: Iterable<IndexedRecording>): Promise<Map<string, CommandEntry[]>> {
    const out = new Map<string, CommandEntry[]>();
    const seen = new Set<string>();
    for (const recording of recordings) {
      const id = recording.summary.id;
      seen.add(id);
      const last = recording.messages[recording.messages.length - 1];
      const key = `${recording.messages.length}:${last?.id}:${last?.line.length}`;
      const cached = this.cache.get(id);
      if (cached?.key === key) {
        out.set(id, cached.commands);
        continue;
      }
      const commands = await find(recording);
      this.cache.set(id, { key, commands });
      out.set(id, commands);
    }
    for (const id of this.cache.keys()) if (!seen.has(id)) this.cache.delete(id);
    return out;
  }
}

async function find(recording: IndexedRecording): Promise<CommandEntry[]> {
  const release = await reserveTextExport();
  try {
    const lines = recording.messages.map((m) => m.line);
    return (await commandsInWorker(lines, recording.summary.hasInput)).commands;
  } finally {
    release();
  }
}
