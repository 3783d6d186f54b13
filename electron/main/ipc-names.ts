/**
 * IPC names outside the request/response contract. The sandboxed preload cannot import this file
 * (it may only require 'electron'), so preload.ts repeats the four constant strings below;
 * test/unit/ipc/preload.test.ts checks that the copies agree.
 */
import { CHANNELS } from '../ipc/channels';
import { EVENT_NAMES } from '../ipc/events';

export const EVENT_CHANNEL_PREFIX = 'flowcase:event:';
export const CHOOSE_CAPTURES_CHANNEL = 'flowcase:choose-captures';
/** Sync: the preload turns a dropped file's path into a handle (file-handles.ts). */
export const DROP_HANDLE_CHANNEL = 'flowcase:drop-handle';
export const CHANNELS_ARG = '--flowcase-channels=';
export const EVENTS_ARG = '--flowcase-events=';

/**
 * The channel and event names, handed to the preload on its command line (webPreferences
 * .additionalArguments → process.argv, which sandboxed preloads can read), so the preload's
 * method table derives from the channel table instead of copying it.
 */
export function preloadArguments(): string[] {
  return [CHANNELS_ARG + CHANNELS.join(','), EVENTS_ARG + EVENT_NAMES.join(',')];
}
/** The app's own origin: pages are served from app://flowcase/ (see app-protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'flowcase';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
