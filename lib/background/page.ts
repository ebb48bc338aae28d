import type { PageProtocol } from '../messaging/protocol-page';
import type { BackgroundContext } from './context';
import type { Feature } from './router';

export function pageFeature(_ctx: BackgroundContext): Feature<keyof PageProtocol> {
  return {} as Feature<keyof PageProtocol>;
}
