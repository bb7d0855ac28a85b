import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';

export type RootPathResult =
  | { kind: 'file'; size: number; path: string }
  | { kind: 'missing'; path: string }
  | { kind: 'directory'; path: string }
  | { kind: 'outside-root'; reason: string };

// A root's absolute and real paths are looked up once per process: the root does not move while baton runs.
const roots = new Map<string, { abs: string; real: string | undefined }>();

function rootPaths(root: string): { abs: string; real: string | undefined } {
  let hit = roots.get(root);
  if (!hit) {
    const abs = resolve(root);
    let real: string | undefined;
    try {
      real = realpathSync.native(abs);
    } catch {
      real = undefined;
    }
    hit = { abs, real };
    // A root that does not exist yet may be made later: only found ones are remembered.
    if (real !== undefined) roots.set(root, hit);
  }
  return hit;
}

/** Whether `path` is `root` or under it; both absolute and normalised (as `resolve` gives them). */
function inside(root: string, path: string): boolean {
  if (!path.startsWith(root)) return false;
  return path.length === root.length || path[root.length] === sep || root.endsWith(sep);
}

/**
 * Resolves a path written in a packet against the knowledge root, and refuses anything that would leave it:
 * `..` segments, absolute paths elsewhere, and symlinks whose target is outside the root.
 */
export function probeUnderRoot(root: string, link: string): RootPathResult {
  const { abs: rootAbs, real: realRoot } = rootPaths(root);
  if (link.includes('\0')) return { kind: 'outside-root', reason: 'the path has a NUL byte' };
  if (link.split(/[\\/]/).includes('..'))
    return { kind: 'outside-root', reason: 'the path has a ".." segment' };
  const target = isAbsolute(link) ? resolve(link) : resolve(rootAbs, link);
  if (!inside(rootAbs, target))
    return { kind: 'outside-root', reason: 'an absolute path elsewhere on the machine' };
  // realpath fails for a missing file and for a dangling link alike: both are missing.
  let real: string;
  try {
    real = realpathSync.native(target);
  } catch {
    return { kind: 'missing', path: target };
  }
  if (realRoot === undefined) return { kind: 'missing', path: target };
  if (!inside(realRoot, real))
    return { kind: 'outside-root', reason: 'a symbolic link to a place outside the root' };
  const stat = statSync(real);
  if (stat.isDirectory()) return { kind: 'directory', path: target };
  return { kind: 'file', size: stat.size, path: target };
}

/** The absolute path of a root-relative path, refusing to leave the root (for files baton writes). */
export function pathUnderRoot(root: string, rel: string): string {
  const rootAbs = resolve(root);
  const target = resolve(rootAbs, rel);
  if (rel.split(/[\\/]/).includes('..') || !inside(rootAbs, target)) {
    throw new RangeError(`${rel} is outside the knowledge root ${rootAbs}`);
  }
  return join(target);
}
