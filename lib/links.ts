import { formatMoment } from '@/lib/replay/moment';

// Links into the player (docs/http-api.md, "Pages"): the one place their
// form is decided, for the list's hit links and the player's "copy link".

export interface PlayerLinkOptions {
  /** ms from the start: the player opens paused there (`?t=1:23.456`). */
  atMs?: number;
  /** Initial speed; 1 is left out. */
  speed?: number;
  /** Opens with this search in the find box (`?find=`). */
  find?: string;
  /** Opens at the live edge, following (`?live=1`, docs/live.md). */
  live?: boolean;
}

/** `/recordings/{rec}?t=1:23.5&speed=2&find=passwd`. */
export function playerHref(recordingId: string, options: PlayerLinkOptions = {}): string {
  const params = new URLSearchParams();
  if (options.atMs !== undefined)
    params.set('t', formatMoment(Math.floor(Math.max(0, options.atMs))));
  if (options.speed !== undefined && options.speed !== 1)
    params.set('speed', String(options.speed));
  if (options.find?.trim()) params.set('find', options.find.trim());
  if (options.live) params.set('live', '1');
  // `:` is allowed in a query; keep it readable.
  const query = params.toString().replaceAll('%3A', ':');
  return `/recordings/${encodeURIComponent(recordingId)}${query ? `?${query}` : ''}`;
}
