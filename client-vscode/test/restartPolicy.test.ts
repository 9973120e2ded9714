import { strict as assert } from 'node:assert';
import { OutputTail, RestartPolicy } from '../src/restartPolicy';

describe('RestartPolicy', () => {
  it('never restarts a server that did not finish initializing', () => {
    const policy = new RestartPolicy();
    assert.equal(policy.shouldRestart(false, 0), false);
  });

  it('restarts a server that ran, up to the limit within the window', () => {
    const policy = new RestartPolicy(2, 1000);
    assert.equal(policy.shouldRestart(true, 0), true);
    assert.equal(policy.shouldRestart(true, 100), true);
    assert.equal(policy.shouldRestart(true, 200), false);
    assert.equal(policy.recentCrashes, 3);
  });

  it('forgets crashes older than the window', () => {
    const policy = new RestartPolicy(1, 1000);
    assert.equal(policy.shouldRestart(true, 0), true);
    assert.equal(policy.shouldRestart(true, 5000), true);
    assert.equal(policy.recentCrashes, 1);
  });
});

describe('OutputTail', () => {
  it('gives the last non-blank line across chunks', () => {
    const tail = new OutputTail();
    tail.push('Traceback (most recent call last):\n  File "x.py", line 1\nModuleNot');
    tail.push("FoundError: No module named 'ghostls'\n\n");
    assert.equal(tail.lastLine(), "ModuleNotFoundError: No module named 'ghostls'");
  });

  it('keeps only the end of long output, and can be cleared', () => {
    const tail = new OutputTail(10);
    tail.push('a'.repeat(50) + '\nlast');
    assert.equal(tail.lastLine(), 'last');
    tail.clear();
    assert.equal(tail.lastLine(), undefined);
  });
});
