import type { Reason } from './errors.js';
import type { TraineeRole } from './vocabulary.js';

/** A person registered for training on a product at a branch; `passed` is null until a result arrives. */
export interface TraineeFact {
  readonly branchId: string;
  readonly role: TraineeRole;
  readonly passed: boolean | null;
  readonly name: string;
}

/** The facts the training gate reads. */
export interface TrainingFacts {
  readonly launchBranchIds: readonly string[];
  readonly trainees: readonly TraineeFact[];
}

/**
 * Every reason the training gate refuses: `LAUNCH_BRANCHES_MISSING`; per launching branch
 * `DOCTOR_MISSING` and `CONSULTANT_MISSING` (`branchId`); per trainee of a launching branch without
 * a pass `TRAINEE_NOT_PASSED` (`branchId`, `name`, `role`, `result`: failed or pending). Trainees of
 * branches that no longer launch the product do not hold it back.
 */
export function trainingIssues(facts: TrainingFacts): Reason[] {
  const reasons: Reason[] = [];
  const branchIds = [...new Set(facts.launchBranchIds)];
  if (branchIds.length === 0) {
    reasons.push({ code: 'LAUNCH_BRANCHES_MISSING', message: 'No launching branch is chosen.' });
  }
  for (const branchId of branchIds) {
    const atBranch = facts.trainees.filter((trainee) => trainee.branchId === branchId);
    if (!atBranch.some((trainee) => trainee.role === 'doctor')) {
      reasons.push({
        code: 'DOCTOR_MISSING',
        branchId,
        message: `No doctor is registered at branch ${branchId}.`,
      });
    }
    if (!atBranch.some((trainee) => trainee.role === 'consultant')) {
      reasons.push({
        code: 'CONSULTANT_MISSING',
        branchId,
        message: `No consultant is registered at branch ${branchId}.`,
      });
    }
    for (const trainee of atBranch) {
      if (trainee.passed === true) continue;
      const result = trainee.passed === false ? 'failed' : 'pending';
      reasons.push({
        code: 'TRAINEE_NOT_PASSED',
        branchId,
        name: trainee.name,
        role: trainee.role,
        result,
        message: `${trainee.name} (${trainee.role}, branch ${branchId}) has ${result === 'failed' ? 'not passed' : 'no result yet'}.`,
      });
    }
  }
  return reasons;
}
