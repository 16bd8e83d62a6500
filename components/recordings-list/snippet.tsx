import type { SnippetPart } from '@/lib/sources/types';

/** A search snippet: text nodes only (React escapes them), hits in <mark>. */
export function Snippet({ parts }: { parts: SnippetPart[] }) {
  return (
    <span className="font-mono text-xs whitespace-pre-wrap break-all text-zinc-300">
      {parts.map((part, i) =>
        part.hit ? (
          <mark key={i} className="rounded-sm bg-amber-400/25 px-0.5 text-amber-200">
            {part.text}
          </mark>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </span>
  );
}
