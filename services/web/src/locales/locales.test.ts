import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@tower/domain';
import { en } from './en';
import { zhCN } from './zh-CN';

describe('error words', () => {
  it('say every error code the API can answer with in both languages', () => {
    const wires = [...new Set(Object.values(ERROR_CODES).map((c) => c.wire))];
    for (const wire of wires) {
      expect((zhCN.errors.codes as Record<string, string>)[wire], wire).toMatch(/[\u4e00-\u9fff]/);
      expect((en.errors.codes as Record<string, string>)[wire], wire).toEqual(expect.any(String));
    }
  });
});
