export * from './clock.js';
export * from './timer-config.js';
export * from './timer-wheel-clock.js';
export * from './fake-clock.js';
