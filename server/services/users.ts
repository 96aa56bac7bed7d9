import { z } from 'zod';
import { AppError } from '../../shared/api/result';
import { USER_ROLES, userIdSchema, type User, type UserRole } from '../../shared/sync/protocol';
import type { Db, Queryable } from '../db/db';
import { hashPassword, MIN_PASSWORD_LENGTH, type PasswordCost } from '../auth/password';
import { stampChanges, Touched } from './changes';

/** A user row. */
export interface UserRow {
  id: string;
  display_name: string;
  role: UserRole;
  team: string | null;
  password_hash: string;
  disabled: boolean;
  version: number;
}

/** Schema of `POST /admin/users` and the `create-user` command. */
export const createUserSchema = z.object({
  id: userIdSchema,
  displayName: z.string().trim().min(1).max(200).optional(),
  password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(1000),
  role: z.enum(USER_ROLES).default('agent'),
  team: z.string().trim().min(1).max(100).nullable().default(null),
});
/** A new user. */
export type CreateUser = z.input<typeof createUserSchema>;

/** Schema of `PATCH /admin/users/:id`. */
export const updateUserSchema = z
  .object({
    displayName: z.string().trim().min(1).max(200),
    password: z.string().min(MIN_PASSWORD_LENGTH).max(1000),
    role: z.enum(USER_ROLES),
    team: z.string().trim().min(1).max(100).nullable(),
    disabled: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
/** A user change. */
export type UpdateUser = z.input<typeof updateUserSchema>;

/** The public shape of a user row. */
export function toUser(r: UserRow): User {
  return { id: r.id, displayName: r.display_name, role: r.role, team: r.team, disabled: r.disabled, version: r.version };
}

/** Users: create, change role/team/password, disable. Every change is pulled by desktops. */
export class UserService {
  constructor(
    private readonly db: Db,
    private readonly cost: PasswordCost,
    private readonly now: () => number = Date.now,
  ) {}

  /** One user row by id (case-sensitive), or null. */
  async find(id: string, q: Queryable = this.db): Promise<UserRow | null> {
    const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] ?? null;
  }

  /** Every user. */
  async list(): Promise<User[]> {
    const { rows } = await this.db.query<UserRow>('SELECT * FROM users ORDER BY id');
    return rows.map(toUser);
  }

  /** Creates a user; CONFLICT when the id is taken. */
  async create(input: CreateUser): Promise<User> {
    const u = createUserSchema.parse(input);
    const hash = await hashPassword(u.password, this.cost);
    const now = this.now();
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<UserRow>(
        `INSERT INTO users (id, display_name, role, team, password_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (id) DO NOTHING RETURNING *`,
        [u.id, u.displayName ?? u.id, u.role, u.team, hash, now],
      );
      const row = rows[0];
      if (!row) throw new AppError('CONFLICT', `A user "${u.id}" already exists`);
      const touched = new Touched();
      touched.users.add(row.id);
      await stampChanges(tx, touched);
      return toUser(row);
    });
  }

  /** Changes a user; NOT_FOUND when unknown. A new password or disabling revokes every refresh token. */
  async update(id: string, input: UpdateUser): Promise<User> {
    const u = updateUserSchema.parse(input);
    const hash = u.password !== undefined ? await hashPassword(u.password, this.cost) : null;
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<UserRow>(
        `UPDATE users SET
           display_name = coalesce($2, display_name),
           role = coalesce($3, role),
           team = CASE WHEN $4::boolean THEN $5 ELSE team END,
           disabled = coalesce($6, disabled),
           password_hash = coalesce($7, password_hash),
           version = version + 1,
           updated_at = $8
         WHERE id = $1 RETURNING *`,
        [id, u.displayName ?? null, u.role ?? null, u.team !== undefined, u.team ?? null, u.disabled ?? null, hash, this.now()],
      );
      const row = rows[0];
      if (!row) throw new AppError('NOT_FOUND', `No user "${id}"`);
      if (hash !== null || u.disabled === true || u.role !== undefined) {
        await tx.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [id, this.now()]);
      }
      const touched = new Touched();
      touched.users.add(row.id);
      await stampChanges(tx, touched);
      return toUser(row);
    });
  }
}
