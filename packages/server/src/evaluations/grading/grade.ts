/** Who graded: the rules of this folder, or a judge model (its registered id). */
export type GradeParser = 'rules' | (string & {});

/** One item's grade, stored with the item's result so a later regrade can be compared. */
export interface Grade {
  /** In [0, 1]: 0 or 1 by the rules and for multiple-choice; a judge may give steps of 0.1 for free-form. */
  score: number;
  parser: GradeParser;
  /** Which rule decided (e.g. 'explicit', 'number', 'ambiguous', 'no-match'), or 'judge' / 'unparseable'. */
  method: string;
  /** What was read as the answer: the answer span (free-form) or the chosen letter (multiple-choice). */
  extracted: string | null;
  /** Multiple-choice: the chosen option's 0-based index, or null when none (or several) was chosen. */
  chosenOption: number | null;
  /** A judge's reply, verbatim. */
  judgement?: string;
}
