import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { platformPorts } from '../adapters/wiring.ts';

const { journal } = platformPorts();

const query = z
  .object({
    type: z.string().min(1).optional(),
    subject: z
      .string()
      .regex(/^[a-zA-Z]+:.+$/, 'as <field>:<id>, e.g. sku:TSHIRT-M')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().optional(),
  })
  .refine((q) => q.type || q.subject, { message: 'give type or subject', path: ['type'] });

export const handler = httpHandler({ query }, async ({ query: q }) =>
  ok(await journal.list({ detailType: q.type, subject: q.subject, limit: q.limit, cursor: q.cursor })),
);
