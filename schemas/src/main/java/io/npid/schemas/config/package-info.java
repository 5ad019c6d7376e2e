/**
 * What every npid process shares about its settings: how a config reads them ({@link
 * io.npid.schemas.config.ConfigReader}), which values are secrets ({@link
 * io.npid.schemas.config.SecretMasker}) and how an unknown key is refused with the closest known one ({@link
 * io.npid.schemas.config.SettingNames}), and the old names of renamed settings ({@link
 * io.npid.schemas.config.RenamedSettings}).
 */
package io.npid.schemas.config;
