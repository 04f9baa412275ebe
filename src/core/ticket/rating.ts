/** The owner's satisfaction (满意度), as the seeds record it: 满意 / 较满意 / 不满意 (seed 000 §2(4)). */
export const RATINGS = ["satisfied", "fairly", "dissatisfied"] as const;
export type Rating = (typeof RATINGS)[number];
