package io.npid.schemas;

import java.util.Arrays;
import java.util.Locale;

/**
 * Every reason a result that is not OK carries in its {@code error} field ({@code "reason: detail"}) besides the
 * {@link DeadLetterReason}s: an ERROR result for a query that was also dead-lettered carries that dead letter's
 * reason; the reasons here are answers to good queries that could not be served, so they have no dead letter.
 *
 * <p>Together with {@link DeadLetterReason} the single registry of reason codes a client can see; {@link
 * ErrorResults} refuses a code that is in neither. The codes are a wire format and never change.
 */
public enum ResultReason {
    /** The embedder has no model yet (status ERROR). */
    NO_MODEL("no model checkpoint has arrived yet; the embedder answers queries once one has"),
    /** Nothing could vote (status NO_LABELLED_ROWS). */
    NO_LABELLED_ROWS("no image of the memory bank has a label yet, so no neighbour can vote");

    private final String meaning;

    ResultReason(final String meaning) {
        this.meaning = meaning;
    }

    /**
     * The stable code written before the detail of a result's {@code error}: the constant's name in kebab case,
     * the rule of every reason code.
     *
     * @return the code, e.g. {@code no-model}
     */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * One line saying what the reason means, for operators and clients.
     *
     * @return the meaning
     */
    public String meaning() {
        return meaning;
    }

    /**
     * Whether a result may carry this code: a result reason or a dead-letter reason.
     *
     * @param code a reason code, may be null
     * @return true if one of the two registries has it
     */
    public static boolean isKnown(final String code) {
        return code != null
                && (Arrays.stream(values()).anyMatch(reason -> reason.code().equals(code))
                        || DeadLetterReason.ofCode(code).isPresent());
    }
}
