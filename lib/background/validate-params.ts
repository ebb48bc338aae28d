/** Small checkers for RPC params from untrusted contexts: each throws `RpcFailure('invalid')` with a path. */
import { RpcFailure } from '../messaging/rpc';

export type Obj = Record<string, unknown>;

export function obj(v: unknown, path = 'params'): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RpcFailure('invalid', `${path} must be an object`, path);
  return v as Obj;
}

export function str(o: Obj, key: string, { max = 10_000, optional = false, path = 'params' } = {}): string {
  const v = o[key];
  if (v === undefined && optional) return undefined as unknown as string;
  if (typeof v !== 'string') throw new RpcFailure('invalid', `${path}.${key} must be a string`, `${path}.${key}`);
  if (v.length > max) throw new RpcFailure('too-large', `${path}.${key} is longer than ${max} characters`, `${path}.${key}`);
  return v;
}

export function int(o: Obj, key: string, { min = 0, max = Number.MAX_SAFE_INTEGER, optional = false, path = 'params' } = {}): number {
  const v = o[key];
  if (v === undefined && optional) return undefined as unknown as number;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RpcFailure('invalid', `${path}.${key} must be an integer between ${min} and ${max}`, `${path}.${key}`);
  }
  return v;
}

export function bool(o: Obj, key: string, { optional = false, path = 'params' } = {}): boolean {
  const v = o[key];
  if (v === undefined && optional) return undefined as unknown as boolean;
  if (typeof v !== 'boolean') throw new RpcFailure('invalid', `${path}.${key} must be true or false`, `${path}.${key}`);
  return v;
}

export function strList(o: Obj, key: string, { maxItems = 1000, maxLength = 200, optional = false, path = 'params' } = {}): string[] {
  const v = o[key];
  if (v === undefined && optional) return undefined as unknown as string[];
  if (!Array.isArray(v)) throw new RpcFailure('invalid', `${path}.${key} must be an array`, `${path}.${key}`);
  if (v.length > maxItems) throw new RpcFailure('too-large', `${path}.${key} has more than ${maxItems} items`, `${path}.${key}`);
  v.forEach((s, i) => {
    if (typeof s !== 'string' || s.length > maxLength) throw new RpcFailure('invalid', `${path}.${key}[${i}] must be a string of at most ${maxLength} characters`, `${path}.${key}[${i}]`);
  });
  return v as string[];
}

/** Params of a method that takes none. */
export function none(v: unknown): Record<string, never> {
  if (v !== undefined && v !== null && (typeof v !== 'object' || Object.keys(v as object).length > 0)) {
    throw new RpcFailure('invalid', 'params must be empty', 'params');
  }
  return {};
}
