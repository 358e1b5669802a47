import { AppError, type FieldProblem } from '@tower/domain';

/** One problem with a client's input: the JSON pointer of the field, what is wrong, and its code where known. */
export type Problem = FieldProblem;

/** Refuses the input naming every problem (400 invalid_input); nothing is stored. */
export function refuse(problems: Problem[], message: string): never {
  throw new AppError('INVALID_INPUT', message, { fields: problems });
}
