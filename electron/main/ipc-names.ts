/**
 * IPC channel names outside the request/response contract. The sandboxed preload cannot import
 * this file (it may only require 'electron'), so preload.ts repeats these two strings;
 * test/unit/ipc/preload.test.ts checks that the copies agree.
 */
export const EVENT_CHANNEL_PREFIX = 'flowcase:event:';
export const CHOOSE_CAPTURES_CHANNEL = 'flowcase:choose-captures';
/** The app's own origin: pages are served from app://flowcase/ (see app-protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'flowcase';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
