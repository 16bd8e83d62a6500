import type { Caller } from '@/lib/access';

/** The signed-in user's name and a sign-out button (a form POST: it changes state). */
export function UserMenu({ caller }: { caller: Caller }) {
  return (
    <div className="ml-auto flex items-center gap-3 text-sm text-zinc-400">
      <span
        data-testid="signed-in-user"
        title={caller.roles.length ? `roles: ${caller.roles.join(', ')}` : 'no role'}
      >
        {caller.name}
      </span>
      <form method="post" action="/api/auth/signout">
        <button
          type="submit"
          className="rounded border border-zinc-700 px-2 py-1 hover:border-zinc-500 hover:text-zinc-100"
        >
          Sign out
        </button>
      </form>
    </div>
  );
}
