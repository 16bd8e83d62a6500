// Security headers for every response (set by proxy.ts).

/** A fresh nonce per response: 128 random bits. */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64');
}

export function contentSecurityPolicy(
  nonce: string,
  options: { https: boolean; dev: boolean },
): string {
  const directives = [
    "default-src 'self'",
    // Next.js puts the nonce on its own scripts (it reads it from this header
    // on the request); 'strict-dynamic' trusts what those load. React's dev
    // build needs eval; production never gets 'unsafe-eval'.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    // 'unsafe-inline' for styles only: xterm.js's DOM renderer (the player)
    // writes its theme and cell colours into <style> elements it creates, and
    // cannot be given a nonce. Styles cannot run script; with connect-src,
    // img-src and font-src held to 'self', injected CSS has nowhere to send
    // what it reads. (A nonce here would make browsers ignore 'unsafe-inline'.)
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (options.https) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

/** Headers on every response besides the CSP. */
export function securityHeaders(https: boolean): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    // Replay URLs carry recording ids: never hand them to another site.
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), clipboard-read=(), usb=()',
    ...(https ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}
