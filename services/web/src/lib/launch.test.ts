import { DEFAULT_LAUNCH_TEMPLATE } from '@tower/domain';
import { describe, expect, it } from 'vitest';
import { launchItemTitle } from './launch';

describe('launchItemTitle', () => {
  it('shows the Chinese title in zh-CN and the English one in en', () => {
    const item = { title: 'Consumables stocked', titleZh: '耗材已备货' };
    expect(launchItemTitle(item, 'zh-CN')).toBe('耗材已备货');
    expect(launchItemTitle(item, 'en')).toBe('Consumables stocked');
  });

  it('falls back to the English title when an item has no Chinese one', () => {
    expect(launchItemTitle({ title: 'Posters hung', titleZh: null }, 'zh-CN')).toBe('Posters hung');
    expect(launchItemTitle({ title: 'Posters hung', titleZh: '' }, 'zh-CN')).toBe('Posters hung');
  });

  it('has a Chinese title for every item of the default template', () => {
    for (const item of DEFAULT_LAUNCH_TEMPLATE) {
      expect(launchItemTitle(item, 'zh-CN')).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
