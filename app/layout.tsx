import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { OpenAccessBanner } from '@/components/access/open-access-banner';
import { UserMenu } from '@/components/access/user-menu';
import { currentCaller } from '@/lib/access';
import { accessSettings } from '@/lib/auth/config';
import './globals.css';

export const metadata: Metadata = {
  title: 'auditty',
  description: 'Find and replay recorded terminal sessions',
  referrer: 'no-referrer',
  // public/: made from icon.svg by scripts/make-icons.mjs.
  icons: {
    icon: [
      { url: '/favicon.ico', sizes: '16x16 32x32 48x48' },
      { url: '/icon.svg', type: 'image/svg+xml' },
    ],
    apple: '/apple-touch-icon.png',
  },
  manifest: '/manifest.webmanifest',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const settings = accessSettings();
  // Reading the session also makes every page dynamic, which CSP nonces need.
  const caller = await currentCaller();
  const signedIn = caller !== null && caller.via !== 'open';
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-950 font-sans text-zinc-100 antialiased">
        {settings.signIn ? null : <OpenAccessBanner explicit={settings.explicitlyOpen} />}
        <header className="border-b border-zinc-800 bg-zinc-900/70">
          <div className="mx-auto flex max-w-screen-2xl items-center gap-6 px-4 py-3">
            <Link
              href="/"
              className="font-mono text-lg font-semibold tracking-tight text-emerald-400"
            >
              auditty
            </Link>
            {caller ? (
              <nav className="flex gap-4 text-sm text-zinc-400">
                <Link href="/" className="hover:text-zinc-100">
                  Recordings
                </Link>
                {settings.audit ? (
                  <Link href="/access-log" className="hover:text-zinc-100">
                    Access log
                  </Link>
                ) : null}
              </nav>
            ) : null}
            {signedIn ? <UserMenu caller={caller} /> : null}
          </div>
        </header>
        <main className="mx-auto max-w-screen-2xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
