export {
  configSchema,
  type Config,
  type ConfigInput,
  type ListenConfig,
  type FeatureCodesConfig,
  type AclGroupConfig,
  type UserConfig,
  type QueueConfig,
  type QueueStrategy,
  type PickupSelection,
} from './config-schema.js';
export { ConfigError, formatIssues, type ConfigIssue } from './config-error.js';
export { validateConfig } from './config-validate.js';
export { loadConfig, loadConfigFile, parseConfig, parseYaml, BUILT_IN_SOURCE } from './config-loader.js';
export { defaultConfig, defaultConfigYaml } from './default-config.js';
export { effectiveCodes, applyPrefix, type EffectiveCodes } from './feature-codes.js';
