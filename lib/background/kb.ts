import type { KbProtocol } from '../messaging/protocol-kb';
import type { BackgroundContext } from './context';
import type { Feature } from './router';

export function kbFeature(_ctx: BackgroundContext): Feature<keyof KbProtocol> {
  return {} as Feature<keyof KbProtocol>;
}
