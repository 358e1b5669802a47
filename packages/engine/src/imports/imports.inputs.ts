import Type, { type Static } from 'typebox';
import { IMPORT_KINDS } from '@tower/domain';
import { Body, StringEnum } from '../schemas.js';

/** The text fields of an upload (multipart), sent before the file part. */
export const UploadFields = Body({
  kind: StringEnum(IMPORT_KINDS),
  sheet: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  source: Type.Optional(Type.String({ pattern: '^[\\w.-]{1,100}$' })),
});
export type UploadFieldsInput = Static<typeof UploadFields>;

/** A corrected column mapping: field → the column header that holds it. */
export const MappingBody = Body({
  mapping: Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 200 })),
});
export type MappingInput = Static<typeof MappingBody>;
