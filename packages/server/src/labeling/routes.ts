import {
  createLabelerSessionRoute,
  getLabelerProfileRoute,
  nextLabelerTaskRoute,
  nextStudyStepRoute,
  submitLabelerResponseRoute,
  submitQualificationAnswerRoute,
  updateLabelerProfileRoute,
} from '@jury/api';
import { requireLabeler } from '../auth/principal.ts';
import type { Db, DialectName } from '../db/database.ts';
import type { Clock } from '../http/clock.ts';
import { createRouter } from '../http/router.ts';
import { readLabelerCookie, setLabelerCookie } from '../labelers/cookie.ts';
import * as labelers from '../labelers/service.ts';
import type { LimitsConfig } from '../limits/config.ts';
import type { Limits } from '../limits/limits.ts';
import type { TaskTypeConfig } from '../task-types/config.ts';
import { answerFloors } from '../task-types/config.ts';
import type { LabelingConfig } from './config.ts';
import type { LabelingDeps } from './engine.ts';
import { submitQualificationAnswer } from './qualification.ts';
import { nextTask, submitResponse } from './sources.ts';
import { nextStep } from './study.ts';

export interface LabelingRouteDeps {
  db: Db;
  dialect: DialectName;
  clock: Clock;
  config: LabelingConfig & LimitsConfig & TaskTypeConfig;
  limits: Limits;
  random?: (() => number) | undefined;
}

/** The labeler API (/api/v1/labeler/*): the labeler session cookie (its routes' labelerSession guard). */
export function labelingRoutes(deps: LabelingRouteDeps) {
  const app = createRouter();
  const labelerDeps = { db: deps.db, clock: deps.clock };
  const labeling: LabelingDeps = {
    db: deps.db,
    clock: deps.clock,
    leaseMs: deps.config.labelerLeaseSeconds * 1000,
    goldRate: deps.config.goldRate,
    goldDropAfter: deps.config.goldDropAfter,
    leasesPerLabeler: deps.config.leasesPerLabeler,
    leasesPerAddress: deps.config.leasesPerAddress,
    answersPerAddressPerDatapoint: deps.config.answersPerAddressPerDatapoint,
    answerFloorMs: answerFloors(deps.config),
    flaggedWeight: deps.config.flaggedWeight,
    ...(deps.random ? { random: deps.random } : {}),
  };

  app.openapi(createLabelerSessionRoute, async (c) => {
    const input = c.req.header('content-type')?.includes('json') ? c.req.valid('json') : undefined;
    const cookie = readLabelerCookie(c);
    // Only a new session counts against its address (a valid cookie resumes its own).
    if (!(await labelers.verifyLabelerCookie(labelerDeps, cookie))) {
      const address = await deps.limits.addressOf(c);
      if (address) await deps.limits.labelerSessions.consume(address);
    }
    const session = await labelers.startLabelerSession(labelerDeps, cookie, input);
    if (session.created) setLabelerCookie(c, session.cookie);
    c.header('Cache-Control', 'no-store');
    const data = labelers.presentLabeler(session.labeler);
    return session.created ? c.json({ data }, 201) : c.json({ data }, 200);
  });

  app.openapi(getLabelerProfileRoute, async (c) => {
    return c.json({ data: labelers.presentLabeler(requireLabeler(c).labeler) }, 200);
  });

  app.openapi(updateLabelerProfileRoute, async (c) => {
    const { labeler } = requireLabeler(c);
    const updated = await labelers.updateLabelerProfile(labelerDeps, labeler, c.req.valid('json'));
    return c.json({ data: labelers.presentLabeler(updated) }, 200);
  });

  app.openapi(nextLabelerTaskRoute, async (c) => {
    const { labeler } = requireLabeler(c);
    c.header('Cache-Control', 'no-store');
    const address = await deps.limits.addressOf(c);
    return c.json({ data: await nextTask(labeling, labeler, address ?? null) }, 200);
  });

  app.openapi(nextStudyStepRoute, async (c) => {
    const { labeler } = requireLabeler(c);
    c.header('Cache-Control', 'no-store');
    const address = await deps.limits.addressOf(c);
    const profile = labelers.presentLabeler(labeler);
    const data = await nextStep(labeling, labeler, profile, c.req.valid('param').id, address ?? null);
    return c.json({ data }, 200);
  });

  app.openapi(submitLabelerResponseRoute, async (c) => {
    const { labeler } = requireLabeler(c);
    return c.json({ data: await submitResponse(labeling, labeler, c.req.valid('json')) }, 201);
  });

  app.openapi(submitQualificationAnswerRoute, async (c) => {
    const { labeler } = requireLabeler(c);
    const data = await submitQualificationAnswer(labeling, labeler, c.req.valid('json'));
    return c.json({ data }, 201);
  });

  return app;
}
