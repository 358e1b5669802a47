import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import {
  countPeople,
  findApiKeysByHashes,
  findCredentialsByEmail,
  findPersonById,
  findPersonBySessionHash,
  insertApiKey,
  insertAudit,
  insertPerson,
  insertSession,
  listApiKeys,
  revokeApiKey,
  revokeSession,
  takeBootstrapLock,
  type Person,
} from '@tower/db';
import { AppError, ROLES_THAT_MAY } from '@tower/domain';
import { requireRole } from './access.js';
import { GroupCommit } from './group-commit.js';
import type { Actor, EngineContext, PersonActor } from './context.js';
import type { ApiKeyInput, LoginInput } from './org.inputs.js';

/**
 * scrypt parameters per OWASP's Password Storage Cheat Sheet (N=2^17, r=8, p=1: about 128 MiB
 * and ~0.3 s here). Stored in the hash string so they can be raised later without breaking logins.
 */
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, keyLength: 64 } as const;

function scryptAsync(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength } = SCRYPT;
  const key = await scryptAsync(password, salt, keyLength, { N, r, p, maxmem: 256 * N * r });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const N = Number(n);
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: 256 * N * Number(r),
  });
  return timingSafeEqual(actual, expected);
}

/** Tokens and keys are stored only as their SHA-256: a leaked table does not sign anyone in. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

// Verifying against a real hash when the email is unknown keeps response times alike.
let decoyHash: Promise<string> | undefined;

export interface LoginResult {
  readonly token: string;
  readonly person: Person;
}

export async function login(
  ctx: EngineContext,
  input: LoginInput & { ttlSeconds: number },
): Promise<LoginResult> {
  const credentials = await findCredentialsByEmail(ctx.db, input.email);
  decoyHash ??= hashPassword('decoy-password-for-timing');
  const ok = await verifyPassword(input.password, credentials?.passwordHash ?? (await decoyHash));
  if (!credentials || !ok || !credentials.active) {
    throw new AppError('AUTH_INVALID_CREDENTIALS', 'Email or password is wrong.');
  }
  const token = randomBytes(32).toString('base64url');
  await insertSession(ctx.db, {
    personId: credentials.id,
    tokenHash: hashSecret(token),
    expiresAt: new Date(ctx.now().getTime() + input.ttlSeconds * 1000),
  });
  const person = await findPersonById(ctx.db, credentials.id);
  if (!person) throw new AppError('AUTH_INVALID_CREDENTIALS', 'Email or password is wrong.');
  return { token, person };
}

export async function logout(ctx: EngineContext, token: string): Promise<void> {
  await revokeSession(ctx.db, hashSecret(token), ctx.now());
}

const API_KEY_PREFIX = 'ptk_';

type ApiKeyFound = { id: string; name: string; scopes: string[] } | undefined;
const apiKeyLookups = new WeakMap<EngineContext, GroupCommit<string, ApiKeyFound>>();

/** API keys of requests that arrive together are looked up in one statement (a feed sends many at once). */
function lookUpApiKey(ctx: EngineContext, hash: string): Promise<ApiKeyFound> {
  let lookups = apiKeyLookups.get(ctx);
  if (!lookups) {
    lookups = new GroupCommit(async (hashes) => {
      const found = await findApiKeysByHashes(ctx.db, hashes);
      return hashes.map((h) => found.get(h));
    }, 500);
    apiKeyLookups.set(ctx, lookups);
  }
  return lookups.add(hash);
}

/** Resolves a bearer credential (session token or API key) to an actor, or undefined. */
export async function authenticate(ctx: EngineContext, credential: string): Promise<Actor | undefined> {
  const hash = hashSecret(credential);
  if (credential.startsWith(API_KEY_PREFIX)) {
    const key = await lookUpApiKey(ctx, hash);
    return key && { kind: 'api_key', id: key.id, name: key.name, scopes: key.scopes };
  }
  const person = await findPersonBySessionHash(ctx.db, hash, ctx.now());
  return person && { kind: 'person', id: person.id, name: person.name, roles: person.roles };
}

export async function createApiKey(
  ctx: EngineContext,
  actor: PersonActor,
  input: ApiKeyInput,
): Promise<{ id: string; key: string; name: string; scopes: string[]; createdAt: Date }> {
  const key = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  return ctx.db.transaction().execute(async (tx) => {
    const row = await insertApiKey(tx, {
      name: input.name,
      keyHash: hashSecret(key),
      scopes: input.scopes,
      createdBy: actor.id,
    });
    await insertAudit(tx, {
      actorId: actor.id,
      action: 'api_key.created',
      entity: 'api_key',
      entityId: row.id,
      data: { name: input.name, scopes: input.scopes },
    });
    return { id: row.id, key, name: input.name, scopes: input.scopes, createdAt: row.createdAt };
  });
}

/**
 * On first start, when nobody exists yet, creates the admin named by the configuration.
 * Returns whether it did. Safe when several processes start at once (the email is unique).
 */
export async function bootstrapAdmin(
  ctx: EngineContext,
  admin: { email: string | undefined; password: string | undefined },
): Promise<boolean> {
  if ((await countPeople(ctx.db)) > 0) return false;
  if (!admin.email || !admin.password) {
    throw new AppError(
      'AUTH_ADMIN_NOT_CONFIGURED',
      'Nobody exists yet: set TOWER_ADMIN_EMAIL and TOWER_ADMIN_PASSWORD to create the first admin.',
    );
  }
  const passwordHash = await hashPassword(admin.password);
  return ctx.db.transaction().execute(async (tx) => {
    await takeBootstrapLock(tx);
    if ((await countPeople(tx)) > 0) return false;
    const id = await insertPerson(tx, {
      name: 'Administrator',
      email: admin.email!,
      passwordHash,
      at: ctx.now(),
      roles: [{ role: 'admin', departmentId: null, branchId: null }],
      channels: [],
    });
    await insertAudit(tx, { actorId: null, action: 'person.bootstrapped', entity: 'person', entityId: id });
    return true;
  });
}

/** The integration keys (admin); never their secrets, which exist only at creation. */
export async function getApiKeys(ctx: EngineContext, actor: Actor) {
  requireRole(actor, ROLES_THAT_MAY.manageApiKeys, 'list API keys');
  return listApiKeys(ctx.db);
}

export async function revokeKey(ctx: EngineContext, actor: Actor, id: string): Promise<void> {
  const admin = requireRole(actor, ROLES_THAT_MAY.manageApiKeys, 'revoke API keys');
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await revokeApiKey(tx, id, ctx.now()))) {
      throw new AppError('API_KEY_NOT_FOUND', `No live API key ${id}.`);
    }
    await insertAudit(tx, { actorId: admin.id, action: 'api_key.revoked', entity: 'api_key', entityId: id });
  });
}
