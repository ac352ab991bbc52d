// The ledger benchmarks' mix: 50% earn, 35% spend, 15% transfer between two different members,
// random sizes (bench/ledger-mix.lua makes the same for wrk).
export type Operation = { kind: 'earn' | 'spend' | 'transfer'; body: Record<string, unknown> };

export function nextOperation(random: () => number, memberIds: string[]): Operation {
  const pick = () => memberIds[Math.floor(random() * memberIds.length)] as string;
  const roll = random();
  if (roll < 0.5) return { kind: 'earn', body: { memberId: pick(), points: 1 + Math.floor(random() * 50), reason: 'bench earn' } };
  if (roll < 0.85) return { kind: 'spend', body: { memberId: pick(), points: 1 + Math.floor(random() * 20), reason: 'bench spend' } };
  let to = pick();
  const from = pick();
  while (to === from) to = pick();
  return { kind: 'transfer', body: { fromMemberId: from, toMemberId: to, points: 1 + Math.floor(random() * 10) } };
}
