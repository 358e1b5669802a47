import { describe, expect, it } from 'vitest';
import { sheetIssues } from './sheet.rules.js';
import { SHEET_TEXT_FIELDS, type Sheet } from './vocabulary.js';

const completeSheet: Sheet = {
  spec: '1 ml',
  certification: '国械注准20233130001',
  ingredients: 'Cross-linked hyaluronic acid 20 mg/ml',
  efficacy: 'Restores volume in the mid-face for 9 to 12 months in most patients',
  targetCustomers: 'Women 28–45 with mild mid-face volume loss',
  sellingPoints: 'Natural result, short downtime',
  comparison: 'Softer gel than brand B at a similar price',
  precautions: 'Avoid massage for 2 weeks',
  clinicalInfo: 'Multicentre study, 120 patients',
  salesScripts: 'Ask the customer what she wants to change first',
  indications: ['mid-face volume loss'],
  contraindications: ['pregnancy', 'active skin infection'],
};

describe('sheetIssues', () => {
  it('passes a complete sheet', () => {
    expect(sheetIssues(completeSheet)).toEqual([]);
  });

  it('reports every missing field, indications and contraindications of an empty sheet at once', () => {
    const codes = sheetIssues({}).map((reason) => [reason.code, reason.field]);
    expect(codes).toEqual([
      ...SHEET_TEXT_FIELDS.map((field) => ['SHEET_FIELD_MISSING', field]),
      ['SHEET_INDICATIONS_MISSING', undefined],
      ['SHEET_CONTRAINDICATIONS_MISSING', undefined],
    ]);
  });

  it('treats a blank field as missing', () => {
    const reasons = sheetIssues({ ...completeSheet, efficacy: '  \n', precautions: '' });
    expect(reasons.map((reason) => reason.field)).toEqual(['efficacy', 'precautions']);
    expect(reasons.every((reason) => reason.code === 'SHEET_FIELD_MISSING')).toBe(true);
  });

  it('requires at least one non-blank indication and contraindication', () => {
    const reasons = sheetIssues({ ...completeSheet, indications: [], contraindications: [' '] });
    expect(reasons.map((reason) => reason.code)).toEqual([
      'SHEET_INDICATIONS_MISSING',
      'SHEET_CONTRAINDICATIONS_MISSING',
    ]);
  });
});
