/**
 * The one typed RPC between contexts (content script, popup, pages → background).
 *
 * Every call is `{ rpc: 1, method, params }`; every answer is a `Result`, so expected failures
 * (invalid input, quota exceeded) travel as values and are shown to the user, never swallowed.
 * The background validates `params` of every method before its handler runs (see `validators`).
 */
import { browser } from 'wxt/browser';
import type { Protocol } from './protocol';

export type Method = keyof Protocol;
export type Params<M extends Method> = Parameters<Protocol[M]>[0];
export type Answer<M extends Method> = Awaited<ReturnType<Protocol[M]>>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: RpcError };
export interface RpcError {
  code: 'invalid' | 'not-found' | 'forbidden' | 'quota' | 'db' | 'internal' | 'too-large' | 'conflict';
  message: string;
  /** Where in the input the problem is (JSON path), for validation errors. */
  path?: string;
}

export interface RpcEnvelope {
  rpc: 1;
  method: string;
  params: unknown;
}

export function isEnvelope(m: unknown): m is RpcEnvelope {
  return typeof m === 'object' && m !== null && (m as RpcEnvelope).rpc === 1 && typeof (m as RpcEnvelope).method === 'string';
}

/** An expected failure, thrown by handlers and turned into `{ok: false}`. */
export class RpcFailure extends Error {
  constructor(
    readonly code: RpcError['code'],
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** Calls the background. Rejects only when the background cannot be reached; expected failures resolve as `{ok:false}`. */
export async function callResult<M extends Method>(method: M, params: Params<M>): Promise<Result<Answer<M>>> {
  const envelope: RpcEnvelope = { rpc: 1, method, params };
  const answer = (await browser.runtime.sendMessage(envelope)) as Result<Answer<M>> | undefined;
  if (!answer) return { ok: false, error: { code: 'internal', message: `No answer from the background for ${method}` } };
  return answer;
}

/** Calls the background and throws an `RpcFailure` for an expected failure. */
export async function call<M extends Method>(method: M, params: Params<M>): Promise<Answer<M>> {
  const r = await callResult(method, params);
  if (!r.ok) throw new RpcFailure(r.error.code, r.error.message, r.error.path);
  return r.value;
}
