/** The statistics summary's shape (API.md "Statistics"); minutes to one decimal, shares 0..1. */

export interface TimeFigures {
  mean: number | null;
  median: number | null;
  p90: number | null;
  max: number | null;
  /** Share of tickets within the service's limit (wait or service minutes). */
  withinLimit: number | null;
}

export interface StatsFigures {
  issued: number;
  served: number;
  noShow: number;
  transferred: number;
  cancelled: number;
  expired: number;
  waitMinutes: TimeFigures;
  serviceMinutes: TimeFigures;
  /** `satisfaction`: share of ratings 4–5; null without ratings. */
  ratings: { count: number; satisfaction: number | null };
}

export interface StatsSummary extends StatsFigures {
  from: string;
  to: string;
  byDay: Array<{ day: string } & StatsFigures>;
  byService: Array<{ serviceId: string; name: string } & StatsFigures>;
  byCounter: Array<{ counterId: string; number: number | null; name: string } & StatsFigures>;
  byClerk: Array<{ clerkId: string; name: string; staffNo: string } & StatsFigures>;
  /** Tickets issued and served per hour of the day (hall time), summed over the range. */
  hourly: Array<{ hour: number; arrivals: number; served: number }>;
}
