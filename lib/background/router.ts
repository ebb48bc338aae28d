/**
 * Receives every RPC in the background: validates the params (messages from content scripts come
 * from pages we do not trust), runs the handler, and answers with a `Result`.
 */
import type { Runtime } from 'webextension-polyfill';
import type { Answer, Method, Params, Result, RpcEnvelope } from '../messaging/rpc';
import { isEnvelope, RpcFailure } from '../messaging/rpc';

export type Sender = Runtime.MessageSender;

export type Handler<M extends Method> = (params: Params<M>, sender: Sender) => Promise<Answer<M>> | Answer<M>;
/** Checks untrusted params and returns them typed, or throws `RpcFailure('invalid', message, path)`. */
export type Validator<M extends Method> = (params: unknown, sender: Sender) => Params<M>;

/** What one feature module contributes: a handler and a validator for each of its methods. */
export type Feature<K extends Method> = { [M in K]: { handle: Handler<M>; validate: Validator<M>; /** Only extension pages may call it (never content scripts). */ privileged?: boolean } };

/**
 * True when `sender` is one of our own pages: its URL is under our origin (`runtime.getURL('/')`).
 *
 * A missing `sender.tab` is not enough: Chrome sends no tab for a content script running in a frame
 * that is not in a tab (a web page framed by an extension page, a side panel, a prerender), and such
 * a frame is still a web page (router.safety.test.ts).
 */
export function isExtensionPage(sender: Sender, extensionOrigin: string): boolean {
  const origin = extensionOrigin.endsWith('/') ? extensionOrigin : `${extensionOrigin}/`;
  return (sender.url ?? '').startsWith(origin);
}

/**
 * Error names of IndexedDB (DOMException names of the IndexedDB spec) and of Dexie's wrappers: a
 * failing disk or a closed database, not a bug of ours, and the user should be told nothing was saved.
 */
const DB_ERROR_NAMES = /^(Unknown|Constraint|Data|TransactionInactive|ReadOnly|Version|InvalidState|Abort|Timeout|DatabaseClosed|OpenFailed|MissingAPI|NoSuchDatabase|InvalidTable|Upgrade|Bulk|Modify)Error$/;

type AnyEntry = { handle: (p: unknown, s: Sender) => unknown; validate: (p: unknown, s: Sender) => unknown; privileged?: boolean };

export class Router {
  private entries = new Map<string, AnyEntry>();

  constructor(private readonly extensionOrigin: string) {}

  register<K extends Method>(feature: Feature<K>): this {
    for (const [method, entry] of Object.entries(feature)) {
      if (this.entries.has(method)) throw new Error(`RPC method registered twice: ${method}`);
      this.entries.set(method, entry as AnyEntry);
    }
    return this;
  }

  /** True when the message comes from one of our own pages (popup, options, notes), not a content script. */
  isPrivileged(sender: Sender): boolean {
    return isExtensionPage(sender, this.extensionOrigin);
  }

  async dispatch(message: RpcEnvelope, sender: Sender): Promise<Result<unknown>> {
    const entry = this.entries.get(message.method);
    if (!entry) return { ok: false, error: { code: 'not-found', message: `Unknown method ${message.method}` } };
    try {
      if (entry.privileged && !this.isPrivileged(sender)) {
        throw new RpcFailure('forbidden', `${message.method} is not available to web pages`);
      }
      const params = entry.validate(message.params, sender);
      return { ok: true, value: await entry.handle(params, sender) };
    } catch (e) {
      if (e instanceof RpcFailure) return { ok: false, error: { code: e.code, message: e.message, ...(e.path ? { path: e.path } : {}) } };
      if (e instanceof Error && (e.name === 'QuotaExceededError' || /quota/i.test(e.message))) {
        return { ok: false, error: { code: 'quota', message: 'Your browser has no storage space left for Attaché. Nothing was saved. Free disk space and try again.' } };
      }
      const msg = e instanceof Error ? e.message : String(e);
      if (e instanceof Error && (DB_ERROR_NAMES.test(e.name) || /Dexie|IndexedDB|DatabaseClosed|AbortError/i.test(`${e.name} ${msg}`))) {
        return { ok: false, error: { code: 'db', message: `The database failed: ${msg}. Nothing was saved.` } };
      }
      console.error(`[attache] ${message.method} failed`, e);
      return { ok: false, error: { code: 'internal', message: msg } };
    }
  }

  /** A `runtime.onMessage` listener: answers RPC envelopes, ignores everything else. */
  listener = (message: unknown, sender: Sender): Promise<Result<unknown>> | undefined => {
    if (!isEnvelope(message)) return undefined;
    return this.dispatch(message, sender);
  };
}
