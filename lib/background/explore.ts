import type { ExploreProtocol } from '../messaging/protocol-explore';
import type { BackgroundContext } from './context';
import type { Feature } from './router';

export function exploreFeature(_ctx: BackgroundContext): Feature<keyof ExploreProtocol> {
  return {} as Feature<keyof ExploreProtocol>;
}
