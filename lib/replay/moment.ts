// `?t=` values of links to a moment: `83.5`, `1:23.5`, `1:02:03`.

const MOMENT = /^(?:(?:(\d{1,4}):)?(\d{1,2}):)?(\d{1,9})(?:\.(\d{1,3}))?$/;

/** Parses a moment to ms; null when the text is not one. */
export function parseMoment(text: string): number | null {
  const m = MOMENT.exec(text.trim());
  if (!m) return null;
  const [, h, min, sec, frac] = m;
  const hours = h === undefined ? 0 : Number(h);
  const minutes = min === undefined ? 0 : Number(min);
  const seconds = Number(sec);
  // With minutes present, seconds must be a clock field; with hours, minutes too.
  if (min !== undefined && seconds >= 60) return null;
  if (h !== undefined && minutes >= 60) return null;
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, '0'));
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
}

/** Formats ms as a moment: `1:02:03.5`, `1:23.5`, `0:07`. */
export function formatMoment(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  const totalSeconds = Math.floor(whole / 1000);
  const frac = whole % 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const fraction = frac === 0 ? '' : `.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  const ss = `${String(s).padStart(2, '0')}${fraction}`;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
