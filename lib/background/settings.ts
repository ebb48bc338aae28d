import type { SettingsProtocol } from '../messaging/protocol-settings';
import type { BackgroundContext } from './context';
import type { Feature } from './router';

export function settingsFeature(_ctx: BackgroundContext): Feature<keyof SettingsProtocol> {
  return {} as Feature<keyof SettingsProtocol>;
}
