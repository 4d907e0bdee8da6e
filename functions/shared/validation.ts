import type { z } from 'zod';
import type { FieldIssue } from './errors.ts';

/**
 * A zod failure as the stable `details` of a 400: one entry per bad field, dotted paths, with
 * an optional prefix (`path`, `query`) naming the part of the request it came from. Free of any
 * transport, so use cases that validate channel payloads can use it too.
 */
export function toFieldIssues(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
}
