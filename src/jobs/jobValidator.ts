import picomatch from 'picomatch';
import { createValidator, type FileToValidate, type FileValidator, type ValidationVerdict } from '../validation/validateFile.js';
import { validationSets, type JobDefinition, type ScopedValidation } from './definition/jobSchema.js';

/**
 * A job's validation: each rule set applies to the files its `files` glob matches, and a file must pass
 * every set that applies. A file no set applies to has no verdict.
 */
export class JobValidator {
  readonly #sets: ReadonlyArray<{ readonly matches: (name: string) => boolean; readonly validator: FileValidator }>;

  constructor(job: JobDefinition, baseDir: string) {
    this.#sets = validationSets(job).map((set) => ({
      matches: picomatch(set.files, { dot: true, nocase: true }),
      validator: createValidator(rulesOf(set), { baseDir }),
    }));
  }

  async validate(file: FileToValidate, signal?: AbortSignal): Promise<ValidationVerdict | undefined> {
    const verdicts: ValidationVerdict[] = [];
    for (const set of this.#sets) if (set.matches(file.name)) verdicts.push(await set.validator.validate(file, signal));
    if (verdicts.length === 0) return undefined;
    const results = verdicts.flatMap((v) => v.results);
    const reason = verdicts.find((v) => !v.passed)?.reason;
    const rows = verdicts.find((v) => v.rows !== undefined)?.rows;
    return {
      passed: verdicts.every((v) => v.passed),
      results,
      captures: Object.assign({}, ...verdicts.map((v) => v.captures)) as Record<string, string>,
      ...(reason === undefined ? {} : { reason }),
      ...(rows === undefined ? {} : { rows }),
    };
  }
}

/** The rule set a file name falls under first, e.g. for the CSV settings used to read its fields. */
export function rulesFor(job: JobDefinition, name: string): ScopedValidation | undefined {
  return validationSets(job).find((set) => picomatch.isMatch(name, set.files, { dot: true, nocase: true }));
}

function rulesOf(set: ScopedValidation): Omit<ScopedValidation, 'files'> {
  const { files: _files, ...rules } = set;
  return rules;
}
