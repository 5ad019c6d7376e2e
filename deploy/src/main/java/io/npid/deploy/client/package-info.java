/** Clients of the npid topics: loading data sets, ingesting images and labels, sending queries and reading results. */
package io.npid.deploy.client;
