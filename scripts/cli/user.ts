import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadPolicyFile } from '@/lib/auth/config';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN } from '@/lib/auth/password';
import { DEFAULT_POLICY } from '@/lib/auth/policy';
import { readUsersFile, USER_NAME, writeUsersFile } from '@/lib/auth/users-file';

// `auditty user add NAME --role ROLE --password-stdin | remove NAME | list`:
// local accounts in AUTH_USERS_FILE. Passwords come only from standard input
// (never the command line, where `ps` and shell history would keep them) and
// are stored as scrypt hashes.

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

// Only the two files matter here: the server's other settings (AUTH_SECRET,
// the audit trail) need not be in the environment of whoever manages accounts.
const fileFromEnv = (name: string) => {
  const value = process.env[name]?.trim();
  return value ? path.resolve(value) : null;
};

function usersFile(): string | null {
  const file = fileFromEnv('AUTH_USERS_FILE');
  if (!file)
    console.error('auditty user: set AUTH_USERS_FILE to the accounts file (created if missing)');
  return file;
}

async function add(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { role: { type: 'string', multiple: true }, 'password-stdin': { type: 'boolean' } },
  });
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0 || !values['password-stdin']) {
    console.error('usage: auditty user add NAME --role ROLE [--role ROLE...] --password-stdin');
    return 2;
  }
  if (!USER_NAME.test(name)) {
    console.error(
      `auditty user: "${name}": user names are 1-64 letters, digits, _ . @ - (starting with a letter or digit)`,
    );
    return 2;
  }
  const policyFile = fileFromEnv('AUTH_POLICY_FILE');
  const policy = policyFile ? await loadPolicyFile(policyFile) : DEFAULT_POLICY;
  const roles = [...new Set(values.role ?? [])];
  const unknown = roles.filter((role) => !Object.hasOwn(policy.roles, role));
  if (unknown.length > 0) {
    console.error(
      `auditty user: unknown role ${unknown.map((r) => `"${r}"`).join(', ')}; the policy has: ${Object.keys(policy.roles).join(', ')}`,
    );
    return 2;
  }
  const file = usersFile();
  if (!file) return 2;
  // The first line of standard input, without its line ending.
  const password = (await readStdin()).split(/\r?\n/)[0] ?? '';
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    console.error(
      `auditty user: the password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`,
    );
    return 2;
  }
  const users = await readUsersFile(file);
  const existed = Object.hasOwn(users.users, name);
  users.users[name] = { password: await hashPassword(password), roles };
  await writeUsersFile(file, users);
  const what = roles.length
    ? `role${roles.length > 1 ? 's' : ''} ${roles.join(', ')}`
    : 'no role (sees nothing)';
  console.log(`${existed ? 'updated' : 'added'} ${name} with ${what}`);
  if (existed) console.log(`${name}'s open sessions end: the password changed`);
  return 0;
}

async function remove(args: string[]): Promise<number> {
  const [name, ...extra] = args;
  if (!name || extra.length > 0) {
    console.error('usage: auditty user remove NAME');
    return 2;
  }
  const file = usersFile();
  if (!file) return 2;
  const users = await readUsersFile(file);
  if (!Object.hasOwn(users.users, name)) {
    console.error(`auditty user: no user "${name}" in ${file}`);
    return 1;
  }
  delete users.users[name];
  await writeUsersFile(file, users);
  console.log(`removed ${name} (their sessions end with their next request)`);
  return 0;
}

async function list(): Promise<number> {
  const file = usersFile();
  if (!file) return 2;
  const users = await readUsersFile(file);
  const names = Object.keys(users.users).sort();
  if (names.length === 0) console.log(`no users in ${file}`);
  for (const name of names)
    console.log(`${name}\t${users.users[name]?.roles.join(',') || '(no role)'}`);
  return 0;
}

export async function user(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add':
      return add(rest);
    case 'remove':
      return remove(rest);
    case 'list':
      return list();
    default:
      console.error(
        'usage: auditty user add NAME --role ROLE --password-stdin | user remove NAME | user list',
      );
      return 2;
  }
}
