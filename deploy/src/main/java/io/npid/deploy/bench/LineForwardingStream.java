package io.npid.deploy.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * An OutputStream that forwards each complete UTF-8 line to a PrintWriter, so that a benchmark that logs to a
 * PrintStream prints through the command's own stderr (which tests capture).
 */
final class LineForwardingStream extends OutputStream {
    private final PrintWriter target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineForwardingStream(final PrintWriter target) {
        this.target = target;
    }

    @Override
    public synchronized void write(final int b) {
        if (b == '\n') {
            flushLine();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void flush() {
        target.flush();
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            flushLine();
        }
        target.flush();
    }

    private void flushLine() {
        target.println(line.toString(StandardCharsets.UTF_8));
        target.flush();
        line.reset();
    }
}
