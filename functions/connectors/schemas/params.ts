import { z } from 'zod';

/** As orders validates channel ids (safe in URLs and keys). */
export const channelParams = z.object({
  channelId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"'),
});
