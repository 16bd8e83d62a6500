import { z } from 'zod';

/** A recording id as it may appear in a URL: tlog's `<boot>-<pid>-<start>` or a files-source id. */
export const recordingIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, 'not a recording id');
