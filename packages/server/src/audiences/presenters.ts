import {
  type Audience,
  type AudienceExample,
  type AudienceFilter,
  GLOBAL_AUDIENCE_ID,
  type Item,
  type SettingName,
} from '@jury/api';
import type { AudienceExamplesTable, AudiencesTable } from '../db/schema.ts';
import { parsePassRule } from './pass-rule.ts';

export const GLOBAL_AUDIENCE: Audience = {
  id: GLOBAL_AUDIENCE_ID,
  kind: 'global',
  name: 'Global',
  baseAudienceId: null,
  filters: [],
  passRule: null,
  showQualificationFeedback: false,
  createdAt: null,
};

export function parseFilters(row: Pick<AudiencesTable, 'filters'>): AudienceFilter[] {
  return row.filters === null ? [] : (JSON.parse(row.filters) as AudienceFilter[]);
}

export function presentAudience(row: AudiencesTable): Audience {
  return {
    id: row.id,
    kind: row.base_audience_id === null ? 'custom' : 'filtered',
    name: row.name,
    baseAudienceId: row.base_audience_id,
    filters: parseFilters(row),
    passRule: row.base_audience_id === null ? parsePassRule(row.pass_rule) : null,
    showQualificationFeedback: Number(row.show_qualification_feedback) === 1,
    createdAt: row.created_at,
  };
}

export function presentExample(row: AudienceExamplesTable): AudienceExample {
  return {
    id: row.id,
    audienceId: row.audience_id,
    taskType: row.task_type,
    instruction: row.instruction,
    dataType: row.data_type,
    items: JSON.parse(row.items) as Item[],
    answerOptions: row.answer_options === null ? null : (JSON.parse(row.answer_options) as string[]),
    truth: JSON.parse(row.truth) as string[],
    context: row.context,
    mediaContext: row.media_context === null ? null : (JSON.parse(row.media_context) as Item[]),
    settings: JSON.parse(row.settings) as SettingName[],
    explanation: row.explanation,
    randomCorrectProbability: Number(row.random_correct_probability),
    sortIndex: Number(row.sort_index),
    purpose: row.purpose,
    createdAt: row.created_at,
  };
}
