import type { ConfigIssue } from './config-error.js';
import type { Config } from './config-schema.js';
import { checkDirectory } from './check-directory.js';
import { checkFeatureCodes } from './check-feature-codes.js';
import { checkSettings } from './check-settings.js';

/**
 * The rules that relate one field to another, which the schema cannot express. Takes a config
 * the schema already accepted; returns every issue found (none when it is usable).
 */
export function validateConfig(config: Config): ConfigIssue[] {
  return [...checkSettings(config), ...checkFeatureCodes(config), ...checkDirectory(config)];
}
