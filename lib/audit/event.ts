import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isIpAddress } from '@/lib/auth/request';
import {
  bounded,
  boundedList,
  boundedParams,
  MAX_ADDRESS,
  MAX_ID,
  MAX_NAME,
  MAX_REASON,
  MAX_RECORDING,
  MAX_ROLE,
  MAX_ROLES,
  MAX_URL,
} from './bounds';

// Audit events, one per sign-in, sign-out, list or search, recording opened,
// replayed or exported, and denied access, named after the Elastic Common
// Schema (https://www.elastic.co/guide/en/ecs/current/) so that they read
// like any other security log. auditty's own fields live under `auditty.`.

export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-out',
  /** The recordings list, with its filters and search text. */
  'recordings-list',
  /** A recording's page or metadata. */
  'recording-view',
  /** A recording's messages (what the player replays). */
  'recording-replay',
  'recording-export',
  /** A recording's command timeline (the command lines entered in it). */
  'recording-commands',
  /** A recording followed live (its new messages as they arrive). */
  'recording-live',
  /** A request refused: no session (API), a session that no longer counts, or a page for admins only. */
  'access-denied',
  /** `auditty session revoke`: an admin ended someone's sessions. */
  'session-revoke',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Events that end every session of their user.id issued before them (a
 * sign-out signs out everywhere): lib/auth/revocation.ts reads them back.
 */
export const REVOCATION_ACTIONS: AuditAction[] = ['sign-out', 'session-revoke'];

/** Actions that mean someone saw a recording. */
export const VIEW_ACTIONS: AuditAction[] = [
  'recording-view',
  'recording-replay',
  'recording-export',
  'recording-commands',
  'recording-live',
];

const OUTCOMES = ['success', 'failure', 'unknown'] as const;
/**
 * How the user signed in; anonymous: nobody is signed in (a refused request,
 * a failed sign-in); cli: the `auditty` command on the server (session-revoke).
 */
const AUTHS = ['local', 'oidc', 'open', 'anonymous', 'cli'] as const;

/** An event as stored; also checks events read back from the index or the file. */
export const auditEventSchema = z.object({
  '@timestamp': z.string(),
  event: z.object({
    id: z.string(),
    kind: z.literal('event'),
    category: z.array(z.string()),
    type: z.array(z.string()),
    action: z.enum(AUDIT_ACTIONS),
    outcome: z.enum(OUTCOMES),
    reason: z.string().optional(),
    /** A summary of held-back events (denied.ts): the first and the last of them. */
    start: z.string().optional(),
    end: z.string().optional(),
  }),
  /** id: the identity key (lib/auth/identity.ts); name: who they are shown as. */
  user: z
    .object({ id: z.string().optional(), name: z.string(), roles: z.array(z.string()) })
    .optional(),
  source: z.object({ address: z.string(), ip: z.string().optional() }),
  url: z.object({ original: z.string() }),
  auditty: z.object({
    auth: z.enum(AUTHS),
    recording: z.string().optional(),
    params: z.record(z.string(), z.string()).optional(),
    /** A summary: how many events it stands for (ECS has no count of its own). */
    count: z.number().int().nonnegative().optional(),
  }),
  ecs: z.object({ version: z.string() }),
  service: z.object({ name: z.literal('auditty') }),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditOutcome = (typeof OUTCOMES)[number];

export interface EventInput {
  action: AuditAction;
  outcome: AuditOutcome;
  reason?: string;
  user: { id?: string; name: string; roles: string[] } | null;
  auth: (typeof AUTHS)[number];
  address: string;
  url: string;
  recording?: string;
  params?: object;
  /** A summary of held-back events: how many, the first and the last. */
  count?: number;
  start?: Date;
  end?: Date;
  now?: Date;
}

function categorize(action: AuditAction): { category: string[]; type: string[] } {
  if (action === 'sign-in') return { category: ['authentication', 'session'], type: ['start'] };
  if (action === 'sign-out') return { category: ['authentication', 'session'], type: ['end'] };
  if (action === 'access-denied') return { category: ['web', 'iam'], type: ['denied'] };
  if (action === 'session-revoke') return { category: ['iam', 'session'], type: ['end'] };
  return { category: ['web'], type: ['access'] };
}

/** The one place events are made: every stored string is bounded here (bounds.ts). */
export function buildEvent(input: EventInput): AuditEvent {
  const address = bounded(input.address, MAX_ADDRESS);
  return {
    '@timestamp': (input.now ?? new Date()).toISOString(),
    event: {
      id: randomUUID(),
      kind: 'event',
      ...categorize(input.action),
      action: input.action,
      outcome: input.outcome,
      ...(input.reason ? { reason: bounded(input.reason, MAX_REASON) } : {}),
      ...(input.start ? { start: input.start.toISOString() } : {}),
      ...(input.end ? { end: input.end.toISOString() } : {}),
    },
    ...(input.user
      ? {
          user: {
            ...(input.user.id ? { id: bounded(input.user.id, MAX_ID) } : {}),
            name: bounded(input.user.name, MAX_NAME),
            roles: boundedList(input.user.roles, MAX_ROLES, MAX_ROLE),
          },
        }
      : {}),
    // source.ip is an `ip` field: a value that is not an address would make
    // Elasticsearch refuse the whole event, so it goes to source.address only.
    source: { address, ...(isIpAddress(address) ? { ip: address } : {}) },
    url: { original: bounded(input.url, MAX_URL) },
    auditty: {
      auth: input.auth,
      ...(input.recording ? { recording: bounded(input.recording, MAX_RECORDING) } : {}),
      ...(input.params ? { params: boundedParams(input.params) } : {}),
      ...(input.count !== undefined ? { count: input.count } : {}),
    },
    ecs: { version: '8.11.0' },
    service: { name: 'auditty' },
  };
}
