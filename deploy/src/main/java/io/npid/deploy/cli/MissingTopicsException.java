package io.npid.deploy.cli;

import java.util.List;

/** Topics a command needs do not exist on the cluster; the message says how to create them. */
public final class MissingTopicsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param bootstrapServers the cluster asked
     * @param topics the missing topics' full names, at least one
     */
    public MissingTopicsException(final String bootstrapServers, final List<String> topics) {
        super((topics.size() == 1
                        ? "topic " + topics.get(0) + " does not exist"
                        : "topics " + String.join(", ", topics) + " do not exist")
                + " at " + bootstrapServers
                + "; create the topics with 'npid topics --bootstrap-servers " + bootstrapServers + "' (or check "
                + "--topic-prefix)");
    }
}
