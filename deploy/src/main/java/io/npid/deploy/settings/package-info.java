/**
 * Which settings each npid command takes, gathered from the modules' own definitions (ConfigDefs), for
 * {@code npid settings} and for refusing unknown keys at start.
 */
package io.npid.deploy.settings;
