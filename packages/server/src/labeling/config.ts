import { z } from 'zod';
import { knob } from '../config/knob.ts';

export const labelingConfig = z.object({
  labelerLeaseSeconds: knob(z.number().int().positive(), {
    description: 'how long a claimed labeling task stays reserved for its labeler, in seconds',
    default: 60,
    flag: 'lease-seconds',
  }),
  goldRate: knob(z.number().min(0).max(1), {
    description:
      "share of a qualified labeler's tasks served as gold checks (a qualification example shown again), 0 disables",
    default: 0.1,
  }),
  goldDropAfter: knob(z.number().int().min(0), {
    description:
      "gold answers after which a labeler below the audience's target accuracy is dropped from it, 0 never drops",
    default: 10,
  }),
  leaseSweepSeconds: knob(z.number().int().positive(), {
    description: 'how often labeling leases that expired over ten minutes ago are deleted, in seconds',
    default: 60,
  }),
});

export type LabelingConfig = z.infer<typeof labelingConfig>;
