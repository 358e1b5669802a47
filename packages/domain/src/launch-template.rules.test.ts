import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LAUNCH_TEMPLATE,
  DEFAULT_LAUNCH_TEMPLATES,
  launchTemplateProblems,
  type LaunchTemplateItem,
} from './launch-template.rules.js';

describe('DEFAULT_LAUNCH_TEMPLATE', () => {
  it('holds the 13 required items of the four owner roles, each titled in both languages', () => {
    expect(DEFAULT_LAUNCH_TEMPLATE).toHaveLength(13);
    expect(DEFAULT_LAUNCH_TEMPLATE.every((item) => item.required && item.daysBefore > 0)).toBe(true);
    expect(DEFAULT_LAUNCH_TEMPLATE.every((item) => (item.titleZh ?? '') !== '')).toBe(true);
    const perRole: Record<string, number> = {};
    for (const item of DEFAULT_LAUNCH_TEMPLATE) perRole[item.ownerRole] = (perRole[item.ownerRole] ?? 0) + 1;
    expect(perRole).toEqual({
      product_manager: 3,
      marketing_manager: 3,
      department_manager: 4,
      compliance_officer: 3,
    });
  });
});

describe('DEFAULT_LAUNCH_TEMPLATES', () => {
  it('gives a package card its card terms and cashier setup on top of the default items', () => {
    const extra = DEFAULT_LAUNCH_TEMPLATES.package.slice(DEFAULT_LAUNCH_TEMPLATE.length);
    expect(extra.map((i) => [i.ownerRole, i.title])).toEqual([
      ['compliance_officer', 'Card terms and expiry approved'],
      ['product_manager', 'Cashier card setup'],
    ]);
    expect(DEFAULT_LAUNCH_TEMPLATES.package.slice(0, 13)).toEqual(DEFAULT_LAUNCH_TEMPLATE);
  });

  it('gives every other tier the default items', () => {
    for (const tier of ['traffic', 'profit', 'flagship', 'custom'] as const) {
      expect(DEFAULT_LAUNCH_TEMPLATES[tier]).toEqual(DEFAULT_LAUNCH_TEMPLATE);
    }
  });

  it('passes its own validation', () => {
    for (const items of Object.values(DEFAULT_LAUNCH_TEMPLATES))
      expect(launchTemplateProblems(items)).toEqual([]);
  });
});

describe('launchTemplateProblems', () => {
  const item = (title: string, ownerRole: LaunchTemplateItem['ownerRole'] = 'product_manager') => ({
    ownerRole,
    title,
    daysBefore: 3,
    required: true,
  });

  it('refuses an empty template', () => {
    expect(launchTemplateProblems([])).toEqual([
      { field: '/items', message: 'a template needs at least one item', code: 'TEMPLATE_EMPTY' },
    ]);
  });

  it('names a blank title and every repeated item, case and spacing aside', () => {
    expect(
      launchTemplateProblems([
        item('Prices loaded'),
        item('   '),
        item('prices  LOADED '),
        item('Prices loaded', 'marketing_manager'),
      ]).map((p) => p.field),
    ).toEqual(['/items/1/title', '/items/2/title']);
  });
});
