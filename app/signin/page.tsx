import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentCaller } from '@/lib/access';
import { accessSettings } from '@/lib/auth/config';
import { safeNext } from '@/lib/auth/redirect';
import type { SignInError } from '@/lib/auth/respond';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in · auditty' };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function errorText(
  error: string | undefined,
  provider: string,
  groupsMinutes: number,
): string | null {
  const texts: Record<SignInError, string> = {
    // One message for a wrong name and a wrong password: which one is not said.
    credentials: 'Wrong username or password.',
    throttled: 'Too many failed sign-ins. Wait a few minutes, then try again.',
    // Nothing was checked: the password may well be right.
    busy: 'Too many sign-ins at the moment. Wait a few seconds, then try again.',
    audit: 'Sign-in is refused while the audit trail cannot be written. Try again later.',
    oidc: `Sign-in with ${provider} did not complete. Try again.`,
    unavailable: 'That way of signing in is not configured here.',
    identity: `${provider} did not give auditty a user name it can use for your account (or did not say your email address is verified). Ask your administrator.`,
    ended: 'Your session no longer counts (your account changed). Sign in again.',
    revoked:
      'Your session was ended: you signed out (here or in another browser), or an admin ended your sessions. Sign in again.',
    stale: `Your groups were read from ${provider} more than ${groupsMinutes} minutes ago. Sign in again, so that what you may see is up to date.`,
    signout:
      'You are signed out of this browser, but the sign-out could not be recorded: a copy of your session elsewhere may still work until it expires.',
  };
  return error && Object.hasOwn(texts, error) ? (texts[error as SignInError] ?? null) : null;
}

const input =
  'mt-1 block w-full rounded border border-zinc-700 bg-zinc-950 px-3 py-2 text-zinc-100 focus:border-emerald-500 focus:outline-none';

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = await searchParams;
  const next = safeNext(first(query.next));
  const settings = accessSettings();
  if (!settings.signIn) redirect(next);
  // Revocations that cannot be read leave the form on show (every other page refuses).
  if (await currentCaller().catch(() => null)) redirect(next);
  const provider = settings.oidc?.providerName ?? 'single sign-on';
  const error = errorText(
    first(query.error),
    provider,
    Math.round(settings.groupsMaxAgeMs / 60_000),
  );

  return (
    <section aria-labelledby="signin-heading" className="mx-auto mt-10 max-w-sm space-y-6">
      <h1 id="signin-heading" className="text-xl font-semibold">
        Sign in to auditty
      </h1>
      {error ? (
        <p
          role="alert"
          className="rounded border border-red-800 bg-red-950/60 px-3 py-2 text-sm text-red-200"
        >
          {error}
        </p>
      ) : null}
      {settings.oidc ? (
        <a
          href={`/api/auth/oidc/start?next=${encodeURIComponent(next)}`}
          className="block rounded bg-emerald-600 px-4 py-2 text-center font-medium text-white hover:bg-emerald-500"
        >
          Sign in with {provider}
        </a>
      ) : null}
      {settings.oidc && settings.usersFile ? (
        <p className="text-center text-xs uppercase tracking-wide text-zinc-500">
          or with a local account
        </p>
      ) : null}
      {settings.usersFile ? (
        <form method="post" action="/api/auth/signin" className="space-y-4">
          <input type="hidden" name="next" value={next} />
          <label className="block text-sm text-zinc-300">
            Username
            <input
              name="username"
              autoComplete="username"
              required
              maxLength={256}
              className={input}
            />
          </label>
          <label className="block text-sm text-zinc-300">
            Password
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              required
              maxLength={1024}
              className={input}
            />
          </label>
          <button
            type="submit"
            className="w-full rounded bg-zinc-200 px-4 py-2 font-medium text-zinc-900 hover:bg-white"
          >
            Sign in
          </button>
        </form>
      ) : null}
    </section>
  );
}
