// Runs once when the server starts: refuse to serve with a bad access
// configuration (environment, AUTH_POLICY_FILE, AUTH_USERS_FILE), then keep
// the recording summaries current (unless SUMMARIZER=off).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { checkAccessConfigOrExit } = await import('./lib/auth/startup');
  await checkAccessConfigOrExit();
  const { startSummarizer } = await import('./lib/sources');
  startSummarizer();
}
