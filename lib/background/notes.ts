import type { NotesProtocol } from '../messaging/protocol-notes';
import type { BackgroundContext } from './context';
import type { Feature } from './router';

export function notesFeature(_ctx: BackgroundContext): Feature<keyof NotesProtocol> {
  return {} as Feature<keyof NotesProtocol>;
}
