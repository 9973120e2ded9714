import { strict as assert } from 'node:assert';
import {
  describeServer,
  INSTALL_COMMAND,
  parseCommandSetting,
  pipxExecutable,
  ResolutionInputs,
  resolveServer,
  serverEnvironment,
} from '../src/serverResolution';

function inputs(overrides: Partial<ResolutionInputs> = {}): ResolutionInputs {
  return {
    commandSetting: [],
    pythonSetting: '',
    pythonExtensionInterpreter: async () => undefined,
    which: () => undefined,
    exists: () => false,
    probe: async () => false,
    env: {},
    homeDir: '/home/ada',
    platform: 'linux',
    ...overrides,
  };
}

describe('parseCommandSetting', () => {
  it('treats empty values as not set', () => {
    for (const value of [undefined, null, '', '   ', []]) {
      assert.deepEqual(parseCommandSetting(value), { kind: 'none' });
    }
  });

  it('takes a string as the executable', () => {
    assert.deepEqual(parseCommandSetting(' /opt/ghostls '), { kind: 'argv', command: '/opt/ghostls', args: [] });
  });

  it('splits an array into command and arguments', () => {
    assert.deepEqual(parseCommandSetting(['/venv/bin/python', '-m', 'ghostls']), {
      kind: 'argv',
      command: '/venv/bin/python',
      args: ['-m', 'ghostls'],
    });
  });

  it('rejects arrays with non-strings or an empty executable, and other types', () => {
    assert.equal(parseCommandSetting(['python', 3]).kind, 'error');
    assert.equal(parseCommandSetting(['', '-m', 'ghostls']).kind, 'error');
    assert.equal(parseCommandSetting(42).kind, 'error');
    assert.equal(parseCommandSetting({ command: 'ghostls' }).kind, 'error');
  });
});

describe('resolveServer', () => {
  it('prefers ghostls.server.command over everything else', async () => {
    const result = await resolveServer(
      inputs({
        commandSetting: ['/venv/bin/python', '-m', 'ghostls'],
        pythonSetting: '/usr/bin/python3',
        which: () => '/usr/bin/ghostls',
        exists: () => true,
      }),
    );
    assert.deepEqual(result, {
      kind: 'found',
      server: { command: '/venv/bin/python', args: ['-m', 'ghostls'], source: 'setting' },
    });
  });

  it('runs a configured bare command name without checking the disk', async () => {
    const result = await resolveServer(inputs({ commandSetting: 'ghostls-dev' }));
    assert.deepEqual(result, { kind: 'found', server: { command: 'ghostls-dev', args: [], source: 'setting' } });
  });

  it('reports a configured path that does not exist instead of falling back', async () => {
    const result = await resolveServer(inputs({ commandSetting: '/nope/ghostls', which: () => '/usr/bin/ghostls' }));
    assert.equal(result.kind, 'invalid');
    assert.match(result.kind === 'invalid' ? result.reason : '', /\/nope\/ghostls does not exist/);
  });

  it('reports a malformed command setting', async () => {
    const result = await resolveServer(inputs({ commandSetting: [1, 2] }));
    assert.equal(result.kind, 'invalid');
  });

  it('uses ghostls.server.python with -m ghostls before PATH', async () => {
    const result = await resolveServer(
      inputs({ pythonSetting: '/venv/bin/python', exists: (path) => path === '/venv/bin/python', which: () => '/usr/bin/ghostls' }),
    );
    assert.deepEqual(result, {
      kind: 'found',
      server: { command: '/venv/bin/python', args: ['-m', 'ghostls'], source: 'python-setting' },
    });
  });

  it('reports a ghostls.server.python path that does not exist', async () => {
    const result = await resolveServer(inputs({ pythonSetting: '/missing/python' }));
    assert.equal(result.kind, 'invalid');
  });

  it('finds ghostls on PATH', async () => {
    const looked: string[] = [];
    const result = await resolveServer(
      inputs({
        which: (name) => {
          looked.push(name);
          return '/usr/local/bin/ghostls';
        },
      }),
    );
    assert.deepEqual(looked, ['ghostls']);
    assert.deepEqual(result, { kind: 'found', server: { command: '/usr/local/bin/ghostls', args: [], source: 'path' } });
  });

  it("finds ghostls in pipx's bin folder when PATH lacks it", async () => {
    const result = await resolveServer(inputs({ exists: (path) => path === '/home/ada/.local/bin/ghostls' }));
    assert.deepEqual(result, { kind: 'found', server: { command: '/home/ada/.local/bin/ghostls', args: [], source: 'pipx' } });
  });

  it("uses the Python extension's interpreter only when it can run ghostls", async () => {
    const probed: string[][] = [];
    const found = await resolveServer(
      inputs({
        pythonExtensionInterpreter: async () => '/proj/.venv/bin/python',
        probe: async (command, args) => {
          probed.push([command, ...args]);
          return true;
        },
      }),
    );
    assert.deepEqual(probed, [['/proj/.venv/bin/python', '-m', 'ghostls', '--version']]);
    assert.deepEqual(found, {
      kind: 'found',
      server: { command: '/proj/.venv/bin/python', args: ['-m', 'ghostls'], source: 'python-extension' },
    });

    const missing = await resolveServer(inputs({ pythonExtensionInterpreter: async () => '/usr/bin/python3', probe: async () => false }));
    assert.deepEqual(missing, { kind: 'missing', installCommand: INSTALL_COMMAND });
  });

  it('does not ask the Python extension when something earlier is found', async () => {
    let asked = false;
    await resolveServer(
      inputs({
        which: () => '/usr/bin/ghostls',
        pythonExtensionInterpreter: async () => {
          asked = true;
          return '/usr/bin/python3';
        },
      }),
    );
    assert.equal(asked, false);
  });

  it('says how to install it when nothing is found', async () => {
    assert.deepEqual(await resolveServer(inputs()), { kind: 'missing', installCommand: 'pipx install ghostls' });
  });
});

describe('pipxExecutable', () => {
  it('honours PIPX_BIN_DIR', () => {
    assert.equal(pipxExecutable({ env: { PIPX_BIN_DIR: '/opt/pipx/bin' }, homeDir: '/home/ada', platform: 'linux' }), '/opt/pipx/bin/ghostls');
  });

  it('uses ghostls.exe under the profile on Windows', () => {
    assert.equal(pipxExecutable({ env: {}, homeDir: 'C:\\Users\\ada', platform: 'win32' }), 'C:\\Users\\ada\\.local\\bin\\ghostls.exe');
  });
});

describe('serverEnvironment', () => {
  it('adds the API key to the inherited environment', () => {
    const env = serverEnvironment({ PATH: '/usr/bin', HOME: '/home/ada', UNSET: undefined }, 'sk-secret');
    assert.deepEqual(env, { PATH: '/usr/bin', HOME: '/home/ada', GHOSTLS_API_KEY: 'sk-secret' });
  });

  it('leaves an inherited GHOSTLS_API_KEY alone when no key is stored', () => {
    assert.deepEqual(serverEnvironment({ GHOSTLS_API_KEY: 'from-shell' }, undefined), { GHOSTLS_API_KEY: 'from-shell' });
    assert.deepEqual(serverEnvironment({}, ''), {});
  });
});

describe('describeServer', () => {
  it('names the command and where it came from', () => {
    assert.equal(
      describeServer({ command: '/venv/bin/python', args: ['-m', 'ghostls'], source: 'python-setting' }),
      '/venv/bin/python -m ghostls (from ghostls.server.python)',
    );
  });
});
