/**
 * The interpreter the Python extension (ms-python.python) selected, if that extension is
 * installed. Optional: nothing here fails when it is missing or its API changes shape.
 */
import * as vscode from 'vscode';

const PYTHON_EXTENSION_ID = 'ms-python.python';

interface EnvironmentPath {
  readonly path: string;
}

interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath | undefined;
}

function hasEnvironmentsApi(value: unknown): value is { environments: PythonEnvironmentsApi } {
  if (typeof value !== 'object' || value === null || !('environments' in value)) {
    return false;
  }
  const environments: unknown = value.environments;
  return (
    typeof environments === 'object' &&
    environments !== null &&
    'getActiveEnvironmentPath' in environments &&
    typeof environments.getActiveEnvironmentPath === 'function'
  );
}

export async function pythonExtensionInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<unknown>(PYTHON_EXTENSION_ID);
  if (extension === undefined) {
    return undefined;
  }
  try {
    const api: unknown = extension.isActive ? extension.exports : await extension.activate();
    if (!hasEnvironmentsApi(api)) {
      return undefined;
    }
    const path = api.environments.getActiveEnvironmentPath(resource)?.path;
    return typeof path === 'string' && path !== '' ? path : undefined;
  } catch {
    return undefined;
  }
}
