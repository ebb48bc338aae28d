/**
 * Hosts Attaché's UI in the page: the hover card and the "page too long" notice, rendered with Preact
 * into a closed shadow root on an element marked `data-attache-ui` (text extraction and the mutation
 * watcher skip it; page CSS cannot style its inside and the page's scripts cannot reach into it).
 */
import { render } from 'preact';
import { Card } from '../../components/Card';
import type { EntityCard } from '../messaging/protocol-page';
import type { Result } from '../messaging/rpc';
import cardCss from '../../assets/styles/card.css?inline';
import type { CardLabels } from './card-labels';
import { OWN_UI_ATTRIBUTE } from './extract';
import type { HighlightRecord } from './highlighter';

export interface CardActions {
  /** The card's words, for the page language (fetched once). */
  loadLabels(): Promise<Result<CardLabels>>;
  loadCard(id: string): Promise<Result<EntityCard>>;
  openDetails(id: string): Promise<Result<unknown>>;
  addNote(record: HighlightRecord): Promise<Result<unknown>>;
}

const CARD_WIDTH = 340;
const GAP = 6;

export class CardHost {
  #host: HTMLElement | null = null;
  #shadow: ShadowRoot | null = null;
  #cardMount: HTMLElement | null = null;
  #noticeMount: HTMLElement | null = null;
  #current: HighlightRecord | null = null;
  #returnFocus: HTMLElement | null = null;
  #token = 0;
  #labels: Promise<CardLabels> | null = null;

  readonly #doc: Document;
  readonly #actions: CardActions;

  constructor(doc: Document, actions: CardActions) {
    this.#doc = doc;
    this.#actions = actions;
  }

  /** Labels, fetched on first use; a failed fetch is retried next time. */
  labels(): Promise<CardLabels> {
    if (!this.#labels) {
      const p = this.#actions.loadLabels().then((r) => {
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      });
      p.catch(() => {
        if (this.#labels === p) this.#labels = null;
      });
      this.#labels = p;
    }
    return this.#labels;
  }

  get openRecord(): HighlightRecord | null {
    return this.#current;
  }

  /** True when the event happened inside our UI (composed path crosses the closed root at the host). */
  contains(e: Event): boolean {
    return this.#host !== null && e.composedPath().includes(this.#host);
  }

  #ensureHost(): void {
    if (this.#host?.isConnected) return;
    const host = this.#doc.createElement('attache-ui');
    host.setAttribute(OWN_UI_ATTRIBUTE, '');
    // Inline and !important: the page's stylesheet may target unknown elements; keep the host box-less.
    host.style.setProperty('all', 'initial', 'important');
    host.style.setProperty('position', 'fixed', 'important');
    host.style.setProperty('inset', '0 auto auto 0', 'important');
    host.style.setProperty('width', '0', 'important');
    host.style.setProperty('height', '0', 'important');
    host.style.setProperty('z-index', '2147483647', 'important');
    const shadow = host.attachShadow({ mode: 'closed' });
    const style = this.#doc.createElement('style');
    style.textContent = cardCss;
    const layer = this.#doc.createElement('div');
    layer.className = 'layer';
    this.#cardMount = this.#doc.createElement('div');
    this.#noticeMount = this.#doc.createElement('div');
    layer.append(this.#cardMount, this.#noticeMount);
    shadow.append(style, layer);
    this.#doc.documentElement.appendChild(host);
    this.#host = host;
    this.#shadow = shadow;
  }

  /** Opens the card for a highlight; `focus` moves keyboard focus into it (keyboard opening). */
  async open(record: HighlightRecord, { focus = false } = {}): Promise<void> {
    if (this.#current === record) {
      if (focus) this.#focusCard();
      return;
    }
    this.#ensureHost();
    const token = ++this.#token;
    this.#current = record;
    if (focus) {
      const active = this.#doc.activeElement;
      this.#returnFocus = active instanceof HTMLElement && !this.#host!.contains(active) ? active : null;
    }
    const anchor = record.range.getBoundingClientRect();
    const startEl = record.range.startContainer.parentElement;
    const dir = startEl ? getComputedStyle(startEl).direction : this.#doc.dir || 'ltr';
    const state: { card: EntityCard | null; error?: string; status?: string } = { card: null };
    const cardData = this.#actions.loadCard(record.brief.id);
    const labels = await this.labels();
    if (token !== this.#token) return;

    const draw = () => {
      if (token !== this.#token || !this.#cardMount) return;
      this.#cardMount.setAttribute('dir', dir === 'rtl' ? 'rtl' : 'ltr');
      render(
        <Card
          brief={record.brief}
          card={state.card}
          {...(record.span.role ? { role: record.span.role } : {})}
          labels={labels}
          {...(state.error ? { error: state.error } : {})}
          {...(state.status ? { status: state.status } : {})}
          onOpenDetails={() => {
            void this.#actions.openDetails(record.brief.id).then((r) => {
              if (!r.ok) {
                state.error = r.error.message;
                draw();
              }
            });
          }}
          onAddNote={() => {
            void this.#actions.addNote(record).then((r) => {
              if (r.ok) state.status = labels.noteSent;
              else state.error = r.error.message;
              draw();
            });
          }}
          onClose={() => this.close()}
        />,
        this.#cardMount,
      );
      this.#position(anchor, dir === 'rtl');
    };
    draw();
    if (focus) this.#focusCard();
    cardData.then(
      (r) => {
        if (r.ok) state.card = r.value;
        else state.error = r.error.message;
        draw();
      },
      (e: unknown) => {
        state.error = e instanceof Error ? e.message : String(e);
        draw();
      },
    );
  }

  #focusCard(): void {
    (this.#shadow?.querySelector('.card') as HTMLElement | null)?.focus();
  }

  /**
   * Below the highlight if it fits, else above, else on the roomier side with a shorter (scrolling)
   * card: the card never covers the text it explains. Aligned with the highlight's start edge.
   */
  #position(anchor: DOMRect, rtl: boolean): void {
    const card = this.#shadow?.querySelector('.card') as HTMLElement | null;
    if (!card) return;
    const vw = this.#doc.documentElement.clientWidth || window.innerWidth;
    const vh = window.innerHeight;
    card.style.maxHeight = '';
    const height = card.offsetHeight;
    const width = Math.min(CARD_WIDTH, vw - 16);
    let left = rtl ? anchor.right - width : anchor.left;
    left = Math.max(8, Math.min(left, vw - width - 8));
    const below = vh - anchor.bottom - GAP - 8;
    const above = anchor.top - GAP - 8;
    let top: number;
    if (height <= below || (height > above && below >= above)) {
      top = anchor.bottom + GAP;
      if (height > below) card.style.maxHeight = `${Math.max(120, below)}px`;
    } else {
      const h = Math.min(height, above);
      if (height > above) card.style.maxHeight = `${Math.max(120, above)}px`;
      top = anchor.top - GAP - h;
    }
    card.style.left = `${Math.round(left)}px`;
    card.style.top = `${Math.round(Math.max(8, top))}px`;
  }

  close(): void {
    if (!this.#current) return;
    this.#current = null;
    this.#token++;
    if (this.#cardMount) render(null, this.#cardMount);
    const back = this.#returnFocus;
    this.#returnFocus = null;
    if (back?.isConnected) back.focus();
  }

  /** A small, dismissable notice in the corner (e.g. the page was too long to scan whole). */
  async notice(text: (labels: CardLabels) => string, ms = 10_000): Promise<void> {
    const labels = await this.labels();
    this.#ensureHost();
    const mount = this.#noticeMount!;
    const dismiss = () => render(null, mount);
    render(
      <div class="notice" role="status">
        {text(labels)}{' '}
        <button type="button" aria-label={labels.close} onClick={dismiss}>
          ×
        </button>
      </div>,
      mount,
    );
    setTimeout(dismiss, ms);
  }

  /** The open card's text, or null (tests and the demo read it: the shadow root is closed). */
  text(): string | null {
    const card = this.#shadow?.querySelector('.card');
    return this.#current && card ? (card.textContent ?? '') : null;
  }

  /** The notice's text, or null. */
  noticeText(): string | null {
    return this.#noticeMount?.textContent || null;
  }

  /** Direction the card is laid out in, or null when closed. */
  dir(): string | null {
    return this.#current ? (this.#cardMount?.getAttribute('dir') ?? null) : null;
  }

  /** True when keyboard focus is inside the card. */
  hasFocus(): boolean {
    return this.#shadow?.activeElement != null;
  }

  dispose(): void {
    this.close();
    if (this.#noticeMount) render(null, this.#noticeMount);
    this.#host?.remove();
    this.#host = null;
    this.#shadow = null;
  }
}
