/** The {@code npid bench} commands, which run each module's benchmark and write its figures as JSON. */
package io.npid.deploy.bench;
