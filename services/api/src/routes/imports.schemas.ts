import Type from 'typebox';
import { IMPORT_KINDS, IMPORT_PROBLEM_WORDS, IMPORT_STATUSES } from '@tower/domain';
import { StringEnum } from '../schemas.js';

const ProblemCode = StringEnum(Object.keys(IMPORT_PROBLEM_WORDS) as (keyof typeof IMPORT_PROBLEM_WORDS)[]);
/** What words a problem in another language: its code and the values in its text. */
const Worded = {
  code: Type.Optional(ProblemCode),
  params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
  message: Type.String({ description: 'in English; `code` and `params` word it in another language' }),
};
const Problem = Type.Object({ row: Type.Integer(), column: Type.String(), ...Worded });
const MappingProblem = Type.Object({ field: Type.String(), ...Worded });
const Cell = Type.Union([Type.String(), Type.Number()]);

/** One import as the API answers it: file, mapping, preview, problems and progress. */
export const ImportBody = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: StringEnum(IMPORT_KINDS),
  status: StringEnum(IMPORT_STATUSES),
  fileName: Type.String(),
  fileSize: Type.Integer({ description: 'bytes' }),
  fileSha256: Type.Union([Type.String(), Type.Null()]),
  sheet: Type.Union([Type.String(), Type.Null()]),
  encoding: Type.Union([Type.String(), Type.Null()], { description: 'utf-8, utf-8-bom or gb18030 (CSV)' }),
  source: Type.String({ description: 'the mapping is remembered per (kind, source)' }),
  headers: Type.Array(Type.String()),
  mapping: Type.Record(Type.String(), Type.String(), { description: 'field → column header' }),
  mappingProblems: Type.Array(MappingProblem),
  preview: Type.Array(
    Type.Object({
      row: Type.Integer(),
      cells: Type.Array(Type.String()),
      record: Type.Union([Type.Record(Type.String(), Cell), Type.Null()], {
        description: 'the row as it will be stored; null when it will be refused',
      }),
    }),
  ),
  problems: Type.Array(Problem, { description: 'the first 100 problems, by row and column' }),
  problemCount: Type.Integer(),
  rowsTotal: Type.Integer(),
  rowsWithProblems: Type.Integer(),
  rowsDone: Type.Integer({ description: 'rows stored so far' }),
  rowsRefused: Type.Integer({ description: 'rows refused so far by the commit' }),
  error: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String({ format: 'uuid' }),
  createdAt: Type.String({ format: 'date-time' }),
  committedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  recognised: Type.Optional(
    Type.Boolean({ description: 'this file was imported before; nothing new was staged' }),
  ),
});

/** The fields each kind of import maps columns to. */
export const ImportFieldsBody = Type.Record(
  Type.String(),
  Type.Array(Type.Object({ name: Type.String(), required: Type.Boolean() })),
);
