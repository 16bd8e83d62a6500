import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FileCache } from './file-cache';
import { isPasswordHash } from './password';

// Local accounts (AUTH_USERS_FILE), managed with `auditty user add|remove|list`:
//   {"users": {"alice": {"password": "$scrypt$ln=17,r=8,p=1$...$...", "roles": ["dba"]}}}
// Read again whenever the file changes, so removing a user or a role takes
// effect on that user's next request, session or not.

export const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

const accountSchema = z.strictObject({
  password: z.string().refine(isPasswordHash, 'not a password hash made by `auditty user add`'),
  roles: z.array(z.string().min(1).max(64)).max(100),
});
const fileSchema = z.strictObject({
  users: z.record(
    z.string().regex(USER_NAME, 'user names are letters, digits, _ . @ -'),
    accountSchema,
  ),
});

export type Account = z.infer<typeof accountSchema>;
export type UsersFile = z.infer<typeof fileSchema>;

export function parseUsersFile(text: string, origin: string): UsersFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${origin}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${origin}: ${issue?.path.map(String).join('.') || 'top level'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** The file, or an empty one when it does not exist yet. */
export async function readUsersFile(file: string): Promise<UsersFile> {
  let text: string;
  try {
    text = await fs.readFile(/*turbopackIgnore: true*/ file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { users: {} };
    throw err;
  }
  return parseUsersFile(text, file);
}

/** Replaces the file atomically, readable by its owner only. */
export async function writeUsersFile(file: string, users: UsersFile): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await fs.writeFile(/*turbopackIgnore: true*/ tmp, `${JSON.stringify(users, null, 2)}\n`, {
    mode: 0o600,
  });
  await fs.rename(/*turbopackIgnore: true*/ tmp, file);
}

const cache = new FileCache<UsersFile>(parseUsersFile);

/**
 * The file as it is now, parsed again only when it changed: also an edit
 * that keeps its size and mtime (file-cache.ts), such as a password changed
 * in the same second as the previous one.
 */
export async function currentUsers(file: string): Promise<UsersFile> {
  try {
    return await cache.get(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { users: {} };
    throw err;
  }
}

export function findAccount(users: UsersFile, name: string): Account | null {
  return Object.hasOwn(users.users, name) ? (users.users[name] ?? null) : null;
}
