/** Shown on every page while no sign-in is configured. */
export function OpenAccessBanner({ explicit }: { explicit: boolean }) {
  return (
    <div
      role="status"
      data-testid="open-access-banner"
      className="border-b border-amber-700 bg-amber-950/70 px-4 py-2 text-center text-sm text-amber-200"
    >
      <strong className="font-semibold">Open access:</strong>{' '}
      {explicit
        ? 'sign-in is turned off (AUTH_MODE=none), so anyone who can reach this address sees every recording.'
        : 'no sign-in is configured, so anyone who can reach this address sees every recording. auditty serves only this machine until sign-in is set up (README, "Access").'}
    </div>
  );
}
