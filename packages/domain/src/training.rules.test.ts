import { describe, expect, it } from 'vitest';
import { trainingIssues, type TraineeFact } from './training.rules.js';

const passedAt = (branchId: string): TraineeFact[] => [
  { branchId, role: 'doctor', passed: true, name: `Dr Li ${branchId}` },
  { branchId, role: 'consultant', passed: true, name: `Wang ${branchId}` },
  { branchId, role: 'nurse', passed: true, name: `Zhao ${branchId}` },
];

describe('trainingIssues', () => {
  it('passes when every launching branch has a passed doctor and consultant and nobody is pending', () => {
    expect(
      trainingIssues({ launchBranchIds: ['b1', 'b2'], trainees: [...passedAt('b1'), ...passedAt('b2')] }),
    ).toEqual([]);
  });

  it('needs launching branches', () => {
    expect(trainingIssues({ launchBranchIds: [], trainees: passedAt('b1') }).map((r) => r.code)).toEqual([
      'LAUNCH_BRANCHES_MISSING',
    ]);
  });

  it('reports every missing role and every trainee not passed, per branch, at once', () => {
    const trainees: TraineeFact[] = [
      ...passedAt('b1'),
      { branchId: 'b1', role: 'nurse', passed: false, name: 'Sun' },
      { branchId: 'b2', role: 'nurse', passed: null, name: 'Qian' },
    ];
    expect(trainingIssues({ launchBranchIds: ['b1', 'b2'], trainees })).toEqual([
      expect.objectContaining({ code: 'TRAINEE_NOT_PASSED', branchId: 'b1', name: 'Sun', result: 'failed' }),
      expect.objectContaining({ code: 'DOCTOR_MISSING', branchId: 'b2' }),
      expect.objectContaining({ code: 'CONSULTANT_MISSING', branchId: 'b2' }),
      expect.objectContaining({
        code: 'TRAINEE_NOT_PASSED',
        branchId: 'b2',
        name: 'Qian',
        result: 'pending',
      }),
    ]);
  });

  it('counts a registered doctor who has not passed yet as present but not passed', () => {
    const trainees: TraineeFact[] = [
      { branchId: 'b1', role: 'doctor', passed: null, name: 'Dr Zhou' },
      { branchId: 'b1', role: 'consultant', passed: true, name: 'Wu' },
    ];
    expect(trainingIssues({ launchBranchIds: ['b1'], trainees }).map((r) => r.code)).toEqual([
      'TRAINEE_NOT_PASSED',
    ]);
  });

  it('ignores trainees of branches that do not launch the product', () => {
    const trainees: TraineeFact[] = [
      ...passedAt('b1'),
      { branchId: 'b9', role: 'doctor', passed: false, name: 'X' },
    ];
    expect(trainingIssues({ launchBranchIds: ['b1'], trainees })).toEqual([]);
  });
});
