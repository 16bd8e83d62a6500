import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import { E2E_ACCOUNTS, OIDC_ONLY_ACCOUNTS } from '../fixtures/access/accounts';

// A real OpenID Connect provider for tests: panva's oidc-provider (a
// certified implementation) on 127.0.0.1, with a login form that checks the
// test accounts' passwords and consent granted up front. Run standalone for
// Playwright (OIDC_PORT, OIDC_REDIRECT_URIS comma-separated), or start it
// from a test with startOidcProvider(). The e2e accounts have their login as
// subject and preferred_username, and a verified email; the OIDC-only ones
// have other subjects (and noname no preferred_username).

export const OIDC_CLIENT_ID = 'auditty';
export const OIDC_CLIENT_SECRET = 'auditty-test-client-secret';

const page = (body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Test IdP</title></head><body><h1>Test IdP</h1>${body}</body></html>`;
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk));
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

interface ProviderAccount {
  password: string;
  sub: string;
  claims: Record<string, unknown>;
}

/** By login, as the sign-in form takes it. */
export const PROVIDER_ACCOUNTS: Record<string, ProviderAccount> = Object.fromEntries([
  ...Object.entries(E2E_ACCOUNTS).map(([login, a]) => [
    login,
    {
      password: a.password,
      sub: login,
      claims: {
        preferred_username: login,
        name: login,
        email: `${login}@example.test`,
        email_verified: true,
        groups: a.groups,
      },
    },
  ]),
  ...Object.entries(OIDC_ONLY_ACCOUNTS).map(([login, a]) => [
    login,
    {
      password: a.password,
      sub: a.sub,
      claims: {
        ...(a.preferredUsername ? { preferred_username: a.preferredUsername } : {}),
        name: login,
        email: `${login}@example.test`,
        email_verified: false,
        groups: a.groups,
      },
    },
  ]),
]);

const accountBySub = (sub: string) =>
  Object.values(PROVIDER_ACCOUNTS).find((account) => account.sub === sub);

export interface RunningProvider {
  issuer: string;
  close(): Promise<void>;
}

export async function startOidcProvider(
  port: number,
  redirectUris: string[],
): Promise<RunningProvider> {
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    scopes: ['openid', 'profile', 'email', 'groups'],
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    cookies: { keys: ['auditty-test-provider-cookie-key'] },
    async findAccount(_ctx: unknown, sub: string) {
      const account = accountBySub(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
    },
    // Consent is not what these tests are about: grant what auditty asks for.
    async loadExistingGrant(ctx: {
      oidc: {
        client: { clientId: string };
        session: { accountId: string; grantIdFor(clientId: string): string | undefined };
        result?: { consent?: { grantId?: string } };
        provider: {
          Grant: { new (init: object): Grant; find(id: string): Promise<Grant | undefined> };
        };
      };
    }) {
      const { client, session, result, provider: p } = ctx.oidc;
      const existing = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (existing) return p.Grant.find(existing);
      const grant = new p.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile email groups');
      await grant.save();
      return grant;
    },
  });
  provider.on('server_error', (_ctx: unknown, err: Error) => console.error('oidc-provider:', err));

  const callback = provider.callback();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([\w-]+)$/.exec(req.url ?? '');
    if (!match) return callback(req, res);
    void (async () => {
      try {
        await provider.interactionDetails(req, res);
        if (req.method === 'GET') {
          res.setHeader('content-type', 'text/html; charset=utf-8');
          res.end(
            page(
              `<form method="post"><label>Login <input name="login" required></label> <label>Secret <input name="secret" type="password" required></label> <button type="submit">Continue</button></form>`,
            ),
          );
          return;
        }
        const form = await readForm(req);
        const login = form.get('login') ?? '';
        const account = Object.hasOwn(PROVIDER_ACCOUNTS, login)
          ? PROVIDER_ACCOUNTS[login]
          : undefined;
        if (!account || account.password !== form.get('secret')) {
          res.statusCode = 401;
          res.setHeader('content-type', 'text/html; charset=utf-8');
          res.end(page(`<p role="alert">Unknown login or secret for ${escape(login)}.</p>`));
          return;
        }
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: account.sub } },
          { mergeWithLastSubmission: false },
        );
      } catch (err) {
        console.error('oidc-provider interaction:', err);
        res.statusCode = 400;
        res.end('interaction failed');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Grant {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}

// Standalone: `node --import tsx tests/support/oidc-provider.ts` (Playwright's webServer).
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const port = Number(process.env.OIDC_PORT ?? '3239');
  const redirects = (process.env.OIDC_REDIRECT_URIS ?? '').split(',').filter(Boolean);
  const running = await startOidcProvider(port, redirects);
  console.log(`test OpenID provider at ${running.issuer} for ${redirects.join(', ')}`);
}
