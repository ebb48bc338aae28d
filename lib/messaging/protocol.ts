/**
 * Every message between contexts, by feature. One interface per feature file; the background
 * registers one handler per method (entrypoints/background.ts → lib/background/handlers*.ts).
 */
import type { PageProtocol } from './protocol-page';
import type { KbProtocol } from './protocol-kb';
import type { NotesProtocol } from './protocol-notes';
import type { SettingsProtocol } from './protocol-settings';
import type { ExploreProtocol } from './protocol-explore';

export interface Protocol extends PageProtocol, KbProtocol, NotesProtocol, SettingsProtocol, ExploreProtocol {}
