import { z } from 'zod';
import { knob } from '../config/knob.ts';

export const httpConfig = z.object({
  maxJsonBytes: knob(z.number().int().positive(), {
    description: 'largest accepted JSON or form body, in KiB',
    default: 1024 * 1024,
    flag: 'max-json-kb',
    scale: 1024,
  }),
});
