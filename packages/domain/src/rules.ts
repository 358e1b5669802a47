import type { PreLaunchStage, Role, Severity, Signal, Tier } from './vocabulary.js';

/** A routing row: who a signal goes to. Department and branch scope come from the product and the fact. */
export interface RouteTarget {
  readonly role: Role;
  /** `department`: only holders scoped to the product's department (and the fact's branch, when they have one). */
  readonly scope: 'owner' | 'any' | 'department';
  /** Informed only: notified, not an assignee who must answer. */
  readonly informOnly?: boolean;
}

export interface SignalRule {
  readonly severity: Severity;
  /** Seconds within which an assignee must acknowledge before escalation to the director. */
  readonly ackSlaSeconds: number;
  readonly routes: readonly RouteTarget[];
}

/**
 * Every threshold, window, SLA, routing row and floor margin of DOMAIN.md. Stored in the `rules`
 * table, edited through `PUT /api/rules`; {@link DEFAULT_RULES} is what a new installation starts with.
 */
export interface Rules {
  readonly pricing: {
    /** Minimum margin over unit cost, in percent, per tier: floor = cost × (1 + margin/100). */
    readonly minMarginPercent: Readonly<Record<Tier, number>>;
    /** List price ≥ every activity-type price × (1 + headroomPercent/100). */
    readonly headroomPercent: number;
  };
  readonly research: {
    readonly minCompetitorPrices: number;
  };
  readonly signals: Readonly<Record<Signal, SignalRule>>;
  readonly salesDip: {
    /** Fires when the window's units are at least this many percent below the expected units… */
    readonly dropPercent: number;
    /**
     * …and a drop that large has at most this one-sided probability under the baseline's own noise, for a
     * `windowDays` window; a longer window of W days is judged at significance × windowDays / W.
     */
    readonly significance: number;
    /** The window judged when it expects enough units (`minExpectedUnits`). */
    readonly windowDays: number;
    /** Longer windows for low-volume keys, tried in order when the shorter one expects too few units. */
    readonly longWindowDays: readonly number[];
    /** A window is long enough to judge when the baseline expects at least this many units in it. */
    readonly minExpectedUnits: number;
    /** Weeks right before the window that give the expected units, weekday by weekday. */
    readonly baselineWeeks: number;
    /** The baseline must average at least this many units a week, or nothing fires. */
    readonly minBaselineUnitsPerWeek: number;
    /** Consecutive evaluation days the dip must hold before a task opens. */
    readonly persistenceDays: number;
    /** Baseline weeks more varied than Poisson at this level (χ² test) are judged negative binomial. */
    readonly overdispersionSignificance: number;
    /** Also judge each product's units summed over every branch (one task with no branch). */
    readonly chainWide: boolean;
    /** The chain is judged this many days behind the newest data, so a day still arriving is not a dip. */
    readonly chainLagDays: number;
  };
  readonly targetMiss: {
    /** Fires when month-to-date is below this percent of the pro-rated target. */
    readonly minPercentOfTarget: number;
    /** Days into the month before the rule speaks (a month's first days say little). */
    readonly minDaysIntoMonth: number;
  };
  readonly complaintSpike: {
    readonly countThreshold: number;
    readonly countWindowDays: number;
    readonly ratePer100Orders: number;
    readonly rateWindowDays: number;
    /** Orders in the rate window below which the rate is not judged (1 complaint in 10 orders is noise). */
    readonly minOrdersForRate: number;
    /** Days before the count window whose complaints per order are the branch's own usual rate. */
    readonly baselineDays: number;
    /** The count window's complaints must be this unlikely under the branch's usual rate per order. */
    readonly significance: number;
  };
  readonly severeComplaint: {
    readonly categories: readonly string[];
  };
  readonly marginErosion: {
    readonly windowDays: number;
  };
  readonly competitorUndercut: {
    readonly undercutPercent: number;
  };
  readonly stageStalled: {
    readonly maxDays: Readonly<Record<PreLaunchStage, number>>;
  };
  /** "False alarm" feedback that makes a key's thresholds stricter (sales_dip and complaint_spike). */
  readonly falseAlarms: {
    /** Every this many false alarms on one (product, signal, branch) raise its tightening level by one. */
    readonly tightenAfter: number;
    /** Each level multiplies the signal's significance by this factor (0 < factor ≤ 1). */
    readonly significanceFactor: number;
    readonly maxLevel: number;
  };
  /** A task auto-resolves when its condition has been clear for this many days. */
  readonly autoResolveDays: number;
  readonly review: ReviewRules;
}

/** A tier's place in a department's target tower shape. */
export interface TierTarget {
  /** Fewer products of the tier than this is a gap ("皮肤科 has no traffic driver"). */
  readonly minProducts: number;
  /** The tier's share of the department's revenue should lie in [min, max] percent. */
  readonly minRevenuePercent: number;
  readonly maxRevenuePercent: number;
}

/** The quarterly product-tower review (季度产品塔复盘). */
export interface ReviewRules {
  readonly quadrant: {
    /** Growth on the previous quarter's revenue at or above this percent is high growth. */
    readonly highGrowthPercent: number;
    /**
     * Share of the department's revenue at or above this multiple of the department's average share
     * (100 % / its number of products) is high share; 1 = above-average products hold high share.
     */
    readonly highShareVsAverage: number;
  };
  /** ABC by gross-margin contribution: A until this cumulative percent of the margin is reached, then B. */
  readonly abc: { readonly aPercent: number; readonly bPercent: number };
  /** A question mark growing at least this many percent on the previous quarter is a promote candidate. */
  readonly promoteGrowthPercent: number;
  readonly targetShape: Readonly<Record<Tier, TierTarget>>;
  /** The review task each department's product managers get. */
  readonly task: { readonly severity: Severity; readonly ackSlaSeconds: number };
}

const HOUR = 3600;
const DAY = 24 * HOUR;

export const DEFAULT_RULES: Rules = {
  pricing: {
    minMarginPercent: { traffic: 0, profit: 40, flagship: 30, custom: 50, package: 20 },
    headroomPercent: 15,
  },
  research: { minCompetitorPrices: 3 },
  signals: {
    sales_dip: {
      severity: 'medium',
      ackSlaSeconds: 48 * HOUR,
      routes: [
        { role: 'product_manager', scope: 'owner' },
        { role: 'marketing_manager', scope: 'any' },
      ],
    },
    target_miss: {
      severity: 'medium',
      ackSlaSeconds: 72 * HOUR,
      routes: [
        { role: 'marketing_manager', scope: 'any' },
        { role: 'product_manager', scope: 'owner' },
      ],
    },
    complaint_spike: {
      severity: 'high',
      ackSlaSeconds: 24 * HOUR,
      routes: [
        { role: 'department_manager', scope: 'department' },
        { role: 'product_manager', scope: 'owner', informOnly: true },
      ],
    },
    severe_complaint: {
      severity: 'critical',
      ackSlaSeconds: 4 * HOUR,
      routes: [
        { role: 'department_manager', scope: 'department' },
        { role: 'compliance_officer', scope: 'any' },
        { role: 'director', scope: 'any' },
      ],
    },
    margin_erosion: {
      severity: 'medium',
      ackSlaSeconds: 72 * HOUR,
      routes: [{ role: 'product_manager', scope: 'owner' }],
    },
    competitor_undercut: {
      severity: 'low',
      ackSlaSeconds: 7 * DAY,
      routes: [
        { role: 'product_manager', scope: 'owner' },
        { role: 'marketing_manager', scope: 'any' },
      ],
    },
    stage_stalled: {
      severity: 'low',
      ackSlaSeconds: 7 * DAY,
      routes: [{ role: 'product_manager', scope: 'owner' }],
    },
    launch_item_overdue: {
      severity: 'medium',
      ackSlaSeconds: 24 * HOUR,
      // The item's own owner role is added by the router from the item itself.
      routes: [],
    },
  },
  salesDip: {
    dropPercent: 30,
    significance: 0.005,
    windowDays: 7,
    longWindowDays: [14, 28],
    minExpectedUnits: 20,
    baselineWeeks: 12,
    minBaselineUnitsPerWeek: 3,
    persistenceDays: 3,
    overdispersionSignificance: 0.05,
    chainWide: true,
    chainLagDays: 1,
  },
  targetMiss: { minPercentOfTarget: 70, minDaysIntoMonth: 7 },
  complaintSpike: {
    countThreshold: 3,
    countWindowDays: 7,
    ratePer100Orders: 3,
    rateWindowDays: 30,
    minOrdersForRate: 50,
    baselineDays: 180,
    significance: 0.01,
  },
  severeComplaint: { categories: ['adverse_reaction', 'medical_dispute'] },
  marginErosion: { windowDays: 14 },
  competitorUndercut: { undercutPercent: 20 },
  stageStalled: { maxDays: { research: 60, packaging: 30, pricing: 14, training: 30, launch: 21 } },
  falseAlarms: { tightenAfter: 2, significanceFactor: 0.2, maxLevel: 3 },
  autoResolveDays: 14,
  review: {
    quadrant: { highGrowthPercent: 10, highShareVsAverage: 1 },
    abc: { aPercent: 70, bPercent: 90 },
    promoteGrowthPercent: 30,
    targetShape: {
      traffic: { minProducts: 1, minRevenuePercent: 10, maxRevenuePercent: 30 },
      profit: { minProducts: 2, minRevenuePercent: 30, maxRevenuePercent: 60 },
      flagship: { minProducts: 1, minRevenuePercent: 15, maxRevenuePercent: 40 },
      custom: { minProducts: 0, minRevenuePercent: 0, maxRevenuePercent: 20 },
      package: { minProducts: 1, minRevenuePercent: 5, maxRevenuePercent: 25 },
    },
    task: { severity: 'medium', ackSlaSeconds: 14 * DAY },
  },
};
