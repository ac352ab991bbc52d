export const attributionModels = ['first_touch', 'last_touch', 'linear', 'position_based'] as const;
export type AttributionModel = (typeof attributionModels)[number];

/**
 * How one conversion's credit splits over its touches, oldest first; the weights sum to 1.
 * Position-based gives 40% to the first and the last touch and shares 20% over the ones between.
 */
export function creditWeights(model: AttributionModel, touchCount: number): number[] {
  if (touchCount <= 0) return [];
  const weights = new Array<number>(touchCount).fill(0);
  if (model === 'first_touch') weights[0] = 1;
  else if (model === 'last_touch') weights[touchCount - 1] = 1;
  else if (model === 'linear') weights.fill(1 / touchCount);
  else if (touchCount === 1) weights[0] = 1;
  else if (touchCount === 2) weights.fill(0.5);
  else {
    weights.fill(0.2 / (touchCount - 2));
    weights[0] = 0.4;
    weights[touchCount - 1] = 0.4;
  }
  return weights;
}
