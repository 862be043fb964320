import picomatch from 'picomatch';
import { parseSize } from '../validation/config.js';
import type { JobDefinition, JobRoute, RouteCondition } from './definition/jobSchema.js';

/** What routing rules look at. */
export interface FileFacts {
  readonly name: string;
  readonly relativePath: string;
  readonly size: number;
  readonly captures: Readonly<Record<string, string>>;
  /** The file's first record (CSV row or JSON object), when a rule or template asks for content fields. */
  readonly fields: Readonly<Record<string, string>> | undefined;
}

/** The routes a file takes: the first that matches, or every one, as the job says. */
export function chooseRoutes(job: JobDefinition, facts: FileFacts): JobRoute[] {
  const matching = job.routes.filter((r) => routeMatches(r.when, facts));
  return job.routing === 'first' ? matching.slice(0, 1) : matching;
}

export function routeMatches(when: RouteCondition | undefined, facts: FileFacts): boolean {
  if (when === undefined) return true;
  if (when.name !== undefined && !picomatch.isMatch(facts.name, when.name, { dot: true, nocase: true })) return false;
  if (when.path !== undefined && !picomatch.isMatch(facts.relativePath, when.path, { dot: true })) return false;
  if (when.minSize !== undefined && facts.size < parseSize(when.minSize)) return false;
  if (when.maxSize !== undefined && facts.size > parseSize(when.maxSize)) return false;
  for (const [capture, pattern] of Object.entries(when.captures ?? {})) {
    const value = facts.captures[capture];
    if (value === undefined || !fullMatch(pattern, value)) return false;
  }
  if (when.content !== undefined) {
    const value = facts.fields?.[when.content.column];
    if (value === undefined) return false;
    if (when.content.equals !== undefined && value !== when.content.equals) return false;
    if (when.content.in !== undefined && !when.content.in.includes(value)) return false;
    if (when.content.matches !== undefined && !fullMatch(when.content.matches, value)) return false;
  }
  return true;
}

/** Whether any route or template of the job reads the file's content fields. */
export function needsContentFields(job: JobDefinition): boolean {
  const templates = [job.rename, ...job.routes.flatMap((r) => [r.rename, r.to, r.http?.url, ...Object.values(r.companion?.fields ?? {})])];
  return job.routes.some((r) => r.when?.content !== undefined) || templates.some((t) => t?.includes('{field.') === true);
}

function fullMatch(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`, 'u').test(value);
}
