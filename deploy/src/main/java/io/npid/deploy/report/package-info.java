/** The HTML report of a local run and the PNG charts in it, drawn with Java2D. */
package io.npid.deploy.report;
