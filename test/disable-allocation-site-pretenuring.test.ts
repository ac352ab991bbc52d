import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Objects of one literal that all stay alive are what makes V8 pretenure that literal. Under
// --trace-pretenuring-statistics V8 reports, at each young-generation collection, what it made of
// the literals it watches. The child keeps 800,000 such objects: several collections' worth.
const keepManyLiterals = `
  const kept = [];
  function make(i) { return { id: i, name: 'member ' + i, lots: [i, i + 1] }; }
  for (let round = 0; round < 40; round += 1) for (let i = 0; i < 20000; i += 1) kept.push(make(i));
  console.log('kept ' + kept.length);
`;

function runChild(disable: boolean) {
  const script = disable
    ? `import { disableAllocationSitePretenuring } from './src/cli/disable-allocation-site-pretenuring.ts'; disableAllocationSitePretenuring(); ${keepManyLiterals}`
    : keepManyLiterals;
  const child = spawnSync(process.execPath, ['--trace-pretenuring-statistics', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  expect(child.status).toBe(0);
  expect(child.stdout).toContain('kept 800000');
  return child.stdout.split('\n').filter((line) => line.includes('pretenuring:'));
}

describe('disabling allocation-site pretenuring (sentang serve)', () => {
  it('stops V8 weighing which literals to allocate in the old generation', () => {
    // Control: with V8's default the same work is weighed (and the literal is usually pretenured).
    expect(runChild(false).length).toBeGreaterThan(0);
    // Disabled at run time, as `sentang serve` does before loading the HTTP stack: nothing weighed.
    expect(runChild(true)).toEqual([]);
  });
});
