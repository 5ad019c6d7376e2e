package io.npid.deploy.process;

/**
 * A command-line setting or option has a value the command cannot use; the message names the setting.
 *
 * <p>The message follows Kafka's ConfigException shape: {@code Invalid value V for configuration K: reason}.
 */
public final class SettingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for one bad setting.
     *
     * @param setting the option or configuration key, e.g. {@code --epochs}
     * @param value the value given, already masked if it is a secret
     * @param reason why it cannot be used, saying what would be accepted
     */
    public SettingException(final String setting, final Object value, final String reason) {
        super("Invalid value " + value + " for configuration " + setting + ": " + reason);
    }
}
