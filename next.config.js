/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The Elasticsearch client and the files source are server-only; keep them
  // out of the bundler so their Node built-ins stay as they are.
  serverExternalPackages: ['@elastic/elasticsearch'],
};

export default nextConfig;
