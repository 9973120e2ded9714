import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exists, probe, which } from '../src/which';

describe('which', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ghostls-which-'));
    for (const dir of ['a', 'b', 'c']) {
      mkdirSync(join(root, dir));
    }
    writeFileSync(join(root, 'a', 'ghostls'), '#!/bin/sh\n');
    chmodSync(join(root, 'a', 'ghostls'), 0o644);
    writeFileSync(join(root, 'b', 'ghostls'), '#!/bin/sh\n');
    chmodSync(join(root, 'b', 'ghostls'), 0o755);
    mkdirSync(join(root, 'c', 'ghostls'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('returns the first executable file on PATH, skipping non-executables and folders', () => {
    const path = [join(root, 'c'), join(root, 'a'), join(root, 'b')].join(':');
    assert.equal(which('ghostls', { PATH: path }, 'linux'), join(root, 'b', 'ghostls'));
  });

  it('returns undefined when nothing matches', () => {
    assert.equal(which('ghostls', { PATH: join(root, 'a') }, 'linux'), undefined);
    assert.equal(which('ghostls', {}, 'linux'), undefined);
  });

  it('checks single files with exists', () => {
    assert.equal(exists(join(root, 'b', 'ghostls')), true);
    assert.equal(exists(join(root, 'c', 'ghostls')), false);
    assert.equal(exists(join(root, 'missing')), false);
  });
});

describe('probe', () => {
  it('is true when the command exits 0 and false otherwise', async () => {
    assert.equal(await probe(process.execPath, ['-e', 'process.exit(0)']), true);
    assert.equal(await probe(process.execPath, ['-e', 'process.exit(3)']), false);
    assert.equal(await probe('/nonexistent/ghostls', ['--version']), false);
  });
});
