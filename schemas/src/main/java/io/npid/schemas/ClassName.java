package io.npid.schemas;

/**
 * The rule that makes a label a class name, shared by every process that reads labels: a class is identified by its
 * name, so two data sets that number their classes alike but name them differently never mix.
 *
 * <p>An event's class is its {@code className} when present (stripped of surrounding white space), else the decimal
 * string of its int {@code label} (legacy numeric labels: label 3 is class {@code "3"}), else it has none. A name
 * must not be blank, must not hold control characters and must have at most {@value #MAX_LENGTH} characters; an int
 * label must be at least 0, with or without a name (as before class names). Going the other way, a name that is a
 * plain decimal int ({@code "0"} or digits without a leading zero, up to {@link Integer#MAX_VALUE}) has that
 * number, for the int fields kept for older readers.
 */
public final class ClassName {

    /** The most characters (code points) a class name may have. */
    public static final int MAX_LENGTH = 256;
    /** Dead-letter reason: a class name that is blank, holds a control character or is too long. */
    public static final String BAD_CLASS_NAME = DeadLetterReason.BAD_CLASS_NAME.code();
    /** Dead-letter reason: an int label below 0. */
    public static final String NEGATIVE_LABEL = DeadLetterReason.NEGATIVE_LABEL.code();

    private ClassName() {}

    /**
     * The class of an event, or why it has none it may use.
     *
     * @param name the class name, or null when the event carries no label (or when rejected)
     * @param reason {@link #BAD_CLASS_NAME} or {@link #NEGATIVE_LABEL} when rejected, else null
     * @param detail a sentence naming the offending value when rejected, else null
     */
    public record Resolution(String name, String reason, String detail) {

        /**
         * Whether the event must be rejected.
         *
         * @return true when {@link #reason()} is set
         */
        public boolean rejected() {
            return reason != null;
        }
    }

    /**
     * Resolves the class of an event from its two label fields.
     *
     * @param label the int label, or null
     * @param className the class name, or null; it wins over the int label
     * @param what what the label belongs to, for the detail, e.g. {@code label of img-7}
     * @return the class name (null when both fields are null), or the reason to reject the event
     */
    public static Resolution resolve(final Integer label, final String className, final String what) {
        if (label != null && label < 0) {
            return new Resolution(
                    null,
                    NEGATIVE_LABEL,
                    "The label of " + what + " is " + label + "; int labels are class numbers >= 0");
        }
        if (className != null) {
            final String problem = problemWith(className);
            if (problem != null) {
                return new Resolution(null, BAD_CLASS_NAME, "The class name of " + what + " " + problem);
            }
            return new Resolution(className.strip(), null, null);
        }
        return new Resolution(label == null ? null : Integer.toString(label), null, null);
    }

    /**
     * The class name of a legacy numeric label.
     *
     * @param label a class number, at least 0
     * @return its decimal string
     * @throws IllegalArgumentException if the label is negative
     */
    public static String ofNumber(final int label) {
        if (label < 0) {
            throw new IllegalArgumentException("A numeric label must be at least 0, not " + label);
        }
        return Integer.toString(label);
    }

    /**
     * The number of a class whose name is a plain decimal int, for the int label fields older readers use.
     *
     * @param name a class name, or null
     * @return its value when the name is {@code 0} or digits without a leading zero that fit an int, else null
     */
    public static Integer numberOf(final String name) {
        if (name == null || name.isEmpty() || name.length() > 10 || (name.charAt(0) == '0' && name.length() > 1)) {
            return null;
        }
        long value = 0;
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        return value <= Integer.MAX_VALUE ? (int) value : null;
    }

    /**
     * Checks a class name that should already be resolved (stripped and valid), as stores do before keeping it.
     *
     * @param name a class name
     * @return the name
     * @throws IllegalArgumentException naming the name and the problem if it is not a resolved class name
     * @throws NullPointerException if the name is null
     */
    public static String requireValid(final String name) {
        final String problem = problemWith(name);
        if (problem != null) {
            throw new IllegalArgumentException("Class name " + problem);
        }
        if (!name.equals(name.strip())) {
            throw new IllegalArgumentException("Class name '" + abbreviate(printable(name))
                    + "' has surrounding white space; resolve it with ClassName.resolve first");
        }
        return name;
    }

    /** What is wrong with a raw class name, as the end of a sentence, or null when it is a good one. */
    private static String problemWith(final String raw) {
        final String name = raw.strip();
        if (name.isEmpty()) {
            return "'" + printable(raw) + "' is blank; give a name or leave className null to use the int label";
        }
        final int length = name.codePointCount(0, name.length());
        if (length > MAX_LENGTH) {
            return "'" + abbreviate(printable(name)) + "' has " + length + " characters, more than the " + MAX_LENGTH
                    + " allowed";
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return "'" + abbreviate(printable(name)) + "' holds control character U+"
                        + String.format("%04X", (int) name.charAt(i)) + " at index " + i;
            }
        }
        return null;
    }

    private static String printable(final String name) {
        final StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }

    private static String abbreviate(final String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
