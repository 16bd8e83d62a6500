/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The Elasticsearch client and the files source are server-only; keep them
  // out of the bundler so their Node built-ins stay as they are.
  serverExternalPackages: ['@elastic/elasticsearch'],
  // proxy.ts sets these (and the per-response CSP nonce) on every page and
  // API answer; this covers what proxy.ts does not see: static files.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ];
  },
};

export default nextConfig;
