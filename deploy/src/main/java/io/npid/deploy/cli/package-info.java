/** The {@code npid} command line: one picocli command class per subcommand, their options and the error handler. */
package io.npid.deploy.cli;
