export * from './imports.inputs.js';
export type { ImportProblem, ImportView, PreviewRow } from './import-view.js';
export { NAMED_PROBLEMS, PREVIEW_ROWS } from './import-view.js';
export { uploadImport, discardUpload, type UploadInput, type UploadedRow } from './upload-import.js';
export { getImport, listImportViews, refusedRowsCsv, importFields } from './import-queries.js';
export { remapImport } from './remap-import.js';
export { commitImport } from './commit-import.js';
export { runImportCommit } from './run-import-commit.js';
