import { AppError } from '@tower/domain';

/** One problem with a client's input: the JSON pointer of the field and what is wrong with it. */
export interface Problem {
  field: string;
  message: string;
}

/** Refuses the input naming every problem (400 invalid_input); nothing is stored. */
export function refuse(problems: Problem[], message: string): never {
  throw new AppError('INVALID_INPUT', message, { fields: problems });
}
