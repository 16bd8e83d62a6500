import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'auditty',
  description: 'Find and replay recorded terminal sessions',
  referrer: 'no-referrer',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-950 font-sans text-zinc-100 antialiased">
        <header className="border-b border-zinc-800 bg-zinc-900/70">
          <div className="mx-auto flex max-w-screen-2xl items-center gap-6 px-4 py-3">
            <Link href="/" className="font-mono text-lg font-semibold tracking-tight text-emerald-400">
              auditty
            </Link>
            <nav className="text-sm text-zinc-400">
              <Link href="/" className="hover:text-zinc-100">
                Recordings
              </Link>
            </nav>
          </div>
        </header>
        <main className="mx-auto max-w-screen-2xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
