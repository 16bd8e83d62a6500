// Each command's module is loaded when it runs: together they pull in the
// Elasticsearch client, the summarizer and the audit trail, which took
// `auditty user list` from 0.5 s to 1.5 s.

const USAGE = `usage: auditty <command>

commands:
  import [--index NAME] FILE...   load tlog JSON-lines files into Elasticsearch
                                  (ES_URL, ES_INDEX and credentials from the environment)
  setup [--dry-run]               install auditty's index templates (the ES_INDEX patterns',
                                  the audit trail's, the recording summaries')
  summarize [--once] [--rebuild]  keep the recording summaries current from here (--once:
                                  catch up and exit; --rebuild: make them again)
  user add NAME --role ROLE --password-stdin
                                  add (or update) a local account in AUTH_USERS_FILE;
                                  --role may repeat, the password is read from standard input
  user remove NAME                remove a local account
  user list                       list local accounts and their roles
  session revoke NAME             end a local account's sessions, on every instance
  session revoke --oidc-subject ISSUER#SUBJECT
  session revoke --oidc-name NAME end an OpenID Connect user's sessions (by identity,
                                  or every one that signed in as NAME); run with the
                                  server's environment: it writes to the audit trail
  help                            this text`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'import':
      return (await import('./import')).importFiles(args);
    case 'setup':
      return (await import('./setup')).setup(args);
    case 'summarize':
      return (await import('./summarize')).summarize(args);
    case 'user':
      return (await import('./user')).user(args);
    case 'session':
      return (await import('./session')).session(args);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`auditty: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`auditty: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
