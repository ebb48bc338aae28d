/** What the explorer needs from the background, passed in by the entrypoint (components make no browser calls). */
import type { Entity, KbEvent, KnowledgeBase } from '@/lib/kb/schema';
import type { KbSnapshot, PackApplyAnswer, PackPlan, RevertAnswer, SaveAnswer } from '@/lib/messaging/protocol-explore';

export interface ExplorerApi {
  snapshot(): Promise<KbSnapshot>;
  saveEntity(entity: Entity): Promise<SaveAnswer>;
  saveEvent(event: KbEvent): Promise<SaveAnswer>;
  revert(kind: 'entity' | 'event', id: string): Promise<RevertAnswer>;
  planPack(text: string, overwrite: boolean): Promise<PackPlan>;
  applyPack(text: string, overwrite: boolean): Promise<PackApplyAnswer>;
  exportPack(scope: 'user' | 'all'): Promise<KnowledgeBase>;
  /** Address of the details page of an entity. */
  detailsUrl(id: string): string;
}
