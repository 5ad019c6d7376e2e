/**
 * What every npid process shares about its settings: which values are secrets ({@link
 * io.npid.schemas.config.SecretMasker}) and how an unknown key is refused with the closest known one ({@link
 * io.npid.schemas.config.SettingNames}).
 */
package io.npid.schemas.config;
