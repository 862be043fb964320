import { z } from 'zod';
import { bandwidthText } from '../model/bandwidthSchema.js';
import { empty } from './emptyPayload.js';
import { connectionName } from './models.js';

/** Bytes per second in force; null is no limit (none set, or a timetable's "off" now). */
const rate = z.number().int().positive().nullable();

/** A saved limit as the window shows it: as written, and what holds now. */
export const bandwidthViewSchema = z.strictObject({
  /** As written, in rclone's --bwlimit syntax: "2M", "1M:4M", "08:00,2M 18:00,off". */
  text: z.string(),
  up: rate,
  down: rate,
  /** Epoch ms when a timetable next changes what holds; null when it never does. */
  until: z.number().nullable(),
});
export type BandwidthView = z.infer<typeof bandwidthViewSchema>;

/** Every limit Ferry keeps: the one for all its transfers together, and each saved connection's (null: none). */
export const limitsViewSchema = z.strictObject({
  global: bandwidthViewSchema.nullable(),
  connections: z.array(z.strictObject({ connection: connectionName, limit: bandwidthViewSchema.nullable() })),
});
export type LimitsView = z.infer<typeof limitsViewSchema>;

/** A new limit: rclone's syntax, checked by the same parser the engine uses; null (or "off") removes it. */
const newLimit = bandwidthText.nullable();

/** Bandwidth limits the window shows and changes; a change applies at once to the transfers running. */
export const LIMITS_COMMANDS = {
  'limits.get': {
    input: empty,
    output: limitsViewSchema,
  },
  'limits.set': {
    input: z.discriminatedUnion('scope', [
      z.strictObject({ scope: z.literal('global'), limit: newLimit }),
      z.strictObject({ scope: z.literal('connection'), connection: connectionName, limit: newLimit }),
    ]),
    output: limitsViewSchema,
  },
} as const;
