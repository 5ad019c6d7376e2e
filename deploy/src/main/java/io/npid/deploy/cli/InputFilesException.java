package io.npid.deploy.cli;

import java.util.List;

/** Paths given on the command line that cannot give an image; the message names each and why. */
public final class InputFilesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param command what could not be done, e.g. {@code query}
     * @param problems one line per path, each naming it
     */
    public InputFilesException(final String command, final List<String> problems) {
        super("nothing sent; " + command + " needs PNG or JPEG files, folders of them, or an IDX or CIFAR-10 "
                + "folder: " + String.join("; ", problems));
    }
}
