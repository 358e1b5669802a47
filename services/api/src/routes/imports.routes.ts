import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import Compile from 'typebox/compile';
import type { Config } from '@tower/config';
import { AppError, IMPORT_KINDS, fieldProblem, type FieldProblem, type ImportKind } from '@tower/domain';
import {
  commitImport,
  discardUpload,
  getImport,
  importFields,
  listImportViews,
  MappingBody,
  refusedRowsCsv,
  remapImport,
  UploadFields,
  uploadImport,
  type EngineContext,
  type ImportView,
} from '@tower/engine';
import { personOf } from '../plugins/auth.js';
import { paged } from '../pagination.js';
import { IdParams, PageQuery, replies } from '../schemas.js';
import { ImportBody, ImportFieldsBody } from './imports.schemas.js';
import { csvRows, TappedFile, xlsxRows } from '../imports/readers.js';

const tags = ['imports'];

const checkUploadFields = Compile(UploadFields);

function problemsOf(fields: Record<string, string>): { field: string; message: string }[] {
  if (checkUploadFields.Check(fields)) return [];
  const problems = new Map<string, string>();
  for (const error of checkUploadFields.Errors(fields)) {
    const params = error.params as { requiredProperties?: string[]; additionalProperties?: string[] };
    if (error.keyword === 'required') {
      for (const name of params.requiredProperties ?? []) problems.set(name, 'is required');
    } else if (error.keyword === 'additionalProperties') {
      for (const name of params.additionalProperties ?? []) problems.set(name, 'is not a known field');
    } else {
      const name = error.instancePath.replace(/^\//, '') || 'fields';
      if (!problems.has(name)) {
        problems.set(name, name === 'kind' ? `must be one of ${IMPORT_KINDS.join(', ')}` : error.message);
      }
    }
  }
  return [...problems].map(([field, message]) => ({ field, message }));
}

function formatOf(fileName: string): 'csv' | 'xlsx' | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return undefined;
}

async function drain(stream: Readable): Promise<void> {
  for await (const chunk of stream) void chunk;
}

function invalid(problems: { field: string; message: string }[]): AppError {
  return new AppError(
    'INVALID_INPUT',
    `The upload is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`,
    { fields: problems },
  );
}

/** CSV/XLSX imports: upload → preview → (correct the mapping →) commit in the background. */
export async function importRoutes(root: FastifyInstance, ctx: EngineContext, config: Config): Promise<void> {
  await root.register(async (scope) => {
    // Multipart only here; limits make busboy stop counting past what an import may hold.
    await scope.register(multipart, {
      limits: { fileSize: config.importMaxBytes, files: 1, fields: 10, fieldSize: 1_000, parts: 12 },
    });
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/api/imports',
      {
        schema: {
          tags,
          summary:
            'Upload a CSV (UTF-8 or GBK) or XLSX export for a preview: multipart fields kind, sheet?, source?, then file',
          consumes: ['multipart/form-data'],
          response: replies({ 200: ImportBody, 201: ImportBody }, [400, 409, 413, 415]),
        },
      },
      async (request, reply) => {
        const person = personOf(request);
        if (!request.isMultipart()) {
          throw invalid([
            { field: 'body', message: 'must be multipart/form-data with the fields kind and file' },
          ]);
        }
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > config.importMaxBytes + 64 * 1024) {
          throw new AppError('IMPORT_TOO_LARGE', `The file is larger than ${config.importMaxBytes} bytes.`, {
            maxBytes: config.importMaxBytes,
          });
        }
        const fields: Record<string, string> = {};
        const problems: FieldProblem[] = [];
        let result: ImportView | undefined;
        let sawFile = false;
        for await (const part of request.parts()) {
          if (part.type === 'field') {
            if (sawFile) problems.push({ field: part.fieldname, message: 'must be sent before the file' });
            else fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value);
            continue;
          }
          if (part.fieldname !== 'file' || sawFile) {
            problems.push({
              field: part.fieldname,
              message: 'is not a known file field (send one file as "file")',
            });
            await drain(part.file);
            continue;
          }
          sawFile = true;
          problems.push(...problemsOf(fields));
          const format = formatOf(part.filename);
          if (!format) problems.push(fieldProblem('file', 'FILE_NOT_CSV_OR_XLSX'));
          if (format === 'csv' && fields.sheet !== undefined) {
            problems.push(fieldProblem('sheet', 'SHEET_ONLY_XLSX'));
          }
          if (problems.length > 0) {
            await drain(part.file);
            continue;
          }
          const tapped = new TappedFile(part.file, config.importMaxBytes);
          try {
            result = await uploadImport(ctx, person, {
              kind: fields.kind as ImportKind,
              fileName: part.filename,
              ...(fields.sheet !== undefined ? { sheet: fields.sheet } : {}),
              ...(fields.source !== undefined ? { source: fields.source } : {}),
              rows: format === 'csv' ? csvRows(tapped) : xlsxRows(tapped, fields.sheet),
              file: () => tapped.facts(),
              batchSize: config.importBatchRows,
            });
          } catch (error) {
            part.file.resume();
            throw error;
          }
        }
        if (!sawFile) problems.push(...problemsOf(fields), fieldProblem('file', 'REQUIRED'));
        if (problems.length > 0) {
          // Something came after the file: nothing of this request is kept.
          if (result && !result.recognised) await discardUpload(ctx, person, result.id);
          throw invalid(problems);
        }
        return reply.status(result!.recognised ? 200 : 201).send(result!);
      },
    );

    app.put(
      '/api/imports/:id/mapping',
      {
        schema: {
          tags,
          summary: 'Correct the column mapping (field → column header); answers the preview again',
          params: IdParams,
          body: MappingBody,
          response: replies({ 200: ImportBody }, [400, 404, 409]),
        },
      },
      async (request) => remapImport(ctx, personOf(request), request.params.id, request.body.mapping),
    );

    app.post(
      '/api/imports/:id/commit',
      {
        schema: {
          tags,
          summary: 'Commit the previewed rows in the background, in batches, through the ingest commands',
          params: IdParams,
          response: replies({ 202: ImportBody }, [400, 404, 409, 422]),
        },
      },
      async (request, reply) =>
        reply.status(202).send(await commitImport(ctx, personOf(request), request.params.id)),
    );

    app.get(
      '/api/imports/:id',
      {
        schema: {
          tags,
          summary: 'Status and progress of an import (rows done of total, rows refused), with its preview',
          params: IdParams,
          response: replies({ 200: ImportBody }, [400, 404]),
        },
      },
      async (request) => getImport(ctx, personOf(request), request.params.id),
    );

    app.get(
      '/api/imports/:id/refused.csv',
      {
        schema: {
          tags,
          summary: 'The refused rows as CSV (UTF-8 with BOM), with the reason in the last column',
          params: IdParams,
          response: replies(
            { 200: Type.Unsafe<Readable>({ type: 'string', description: 'text/csv' }) },
            [400, 404],
          ),
        },
      },
      async (request, reply) => {
        const lines = refusedRowsCsv(ctx, personOf(request), request.params.id);
        // The first line is read before answering, so an unknown import is still a 404.
        const first = await lines.next();
        async function* body() {
          yield `\ufeff${first.done ? '' : first.value}`;
          yield* lines;
        }
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="import-${request.params.id}-refused.csv"`)
          .send(Readable.from(body()));
      },
    );

    app.get(
      '/api/imports',
      {
        schema: {
          tags,
          summary: 'Imports, newest first (yours; admins and directors see everyone’s)',
          querystring: Type.Object(PageQuery, { additionalProperties: false }),
          response: replies(
            {
              200: Type.Object({
                items: Type.Array(ImportBody),
                nextCursor: Type.Union([Type.String(), Type.Null()]),
              }),
            },
            [400],
          ),
        },
      },
      async (request) =>
        paged({ cursor: request.query.cursor, limit: request.query.limit ?? 50 }, (window) =>
          listImportViews(ctx, personOf(request), window),
        ),
    );

    app.get(
      '/api/import-fields',
      {
        schema: {
          tags,
          summary: 'The fields each kind of import maps columns to',
          response: replies({ 200: ImportFieldsBody }),
        },
      },
      async (request) => {
        personOf(request);
        return Object.fromEntries(IMPORT_KINDS.map((kind) => [kind, importFields(kind)]));
      },
    );
  });
}
