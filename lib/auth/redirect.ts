// Where to go after sign-in. Shared links carry their path through the
// sign-in page as `next`; only same-origin paths are followed, so a crafted
// link cannot bounce a freshly signed-in auditor to another site.

const BASE = 'http://auditty.invalid';
/** Pages that make no sense to land on after signing in. */
const LOOPING = /^\/(signin|api\/auth)(\/|$|\?)/;

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** A same-origin path (with query and fragment) from `next`, or `/`. */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > 2048) return '/';
  // Browsers read `\` as `/` and skip tabs and newlines: `/\evil.example`
  // and `/\t/evil.example` would leave the site.
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\') || hasControl(next))
    return '/';
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil.example` normalizes to `//evil.example`: protocol-relative.
  return path.startsWith('//') || LOOPING.test(path) ? '/' : path;
}

/** The sign-in page's address that comes back to `next`. */
export function signInPath(next: string, error?: string): string {
  const params = new URLSearchParams();
  const target = safeNext(next);
  if (target !== '/') params.set('next', target);
  if (error) params.set('error', error);
  const query = params.toString();
  return query ? `/signin?${query}` : '/signin';
}
