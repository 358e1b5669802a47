import { DEFAULT_RULES } from '@tower/domain';
import { describe, expect, it } from 'vitest';
import { rulesChanges, slaFromForm, slaToForm } from './rules-form';

// The form holds plain JSON; the tests edit it as such.
type Json = Record<string, any>;
const clone = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

describe('the rules form', () => {
  it('shows SLAs in hours and sends them back in seconds', () => {
    const form: Json = slaToForm(DEFAULT_RULES);
    expect(form.signals.severe_complaint.ackSlaSeconds).toBe(4);
    expect(form.review.task.ackSlaSeconds).toBe(14 * 24);
    expect(slaFromForm(form)).toEqual(DEFAULT_RULES);
  });

  it('keeps a few seconds through the round trip', () => {
    const rules = { signals: { sales_dip: { ackSlaSeconds: 2 } } };
    expect(slaFromForm(slaToForm(rules))).toEqual(rules);
  });

  it('sends only what changed, with lists whole', () => {
    const initial = slaToForm(DEFAULT_RULES);
    const edited = clone(initial);
    edited.salesDip.dropPercent = 35;
    edited.signals.sales_dip.routes = [{ role: 'product_manager', scope: 'owner', informOnly: false }];
    expect(rulesChanges(initial, edited)).toEqual({
      salesDip: { dropPercent: 35 },
      signals: { sales_dip: { routes: [{ role: 'product_manager', scope: 'owner' }] } },
    });
  });

  it('finds no change when an unchecked "inform only" box stands for none', () => {
    const initial = slaToForm(DEFAULT_RULES);
    const same = clone(initial);
    for (const route of same.signals.margin_erosion.routes) route.informOnly = false;
    expect(rulesChanges(initial, same)).toEqual({});
  });
});
