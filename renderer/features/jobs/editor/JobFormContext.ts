import { createContext, useContext } from 'react';
import type { JobProblemView } from '../../../../src/shared/contract/jobFileCommands.js';
import type { JobFieldPath, JobFieldValue } from '../../../../src/shared/jobs/editJobText.js';

export interface JobFormContextValue {
  readonly setField: (path: JobFieldPath, value: JobFieldValue) => void;
  /** The problems found at exactly this field (`routes[1].attachBy`). */
  readonly problemsAt: (field: string) => ReadonlyArray<JobProblemView>;
}

export const JobFormContext = createContext<JobFormContextValue | null>(null);

export function useJobForm(): JobFormContextValue {
  const value = useContext(JobFormContext);
  if (value === null) throw new Error('a job form field is outside the job form');
  return value;
}

/** An element id for a field: its path with only the characters ids take well. */
export function fieldId(field: string): string {
  return `job-field-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
