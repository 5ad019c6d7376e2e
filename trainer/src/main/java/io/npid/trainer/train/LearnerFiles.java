package io.npid.trainer.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The on-disk layout of a saved learner: {@code encoder.params} (DJL parameters), {@code learner.state} (a small
 * versioned binary: shape, step, epoch, random state, objective and optimiser state) and {@code config.properties}
 * (the effective settings, for provenance).
 */
final class LearnerFiles {
    static final String PARAMETERS_FILE = "encoder.params";
    static final String STATE_FILE = "learner.state";
    static final String CONFIG_FILE = "config.properties";
    private static final int MAGIC = 0x4E504944; // "NPID"
    private static final int VERSION = 1;

    /** Writes the state body. */
    interface StateWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads the state body. */
    interface StateReader {
        void read(DataInputStream in) throws IOException;
    }

    /** The saved shape and model identity. */
    record Header(String backbone, int lowDim, int channels, int imageSize) {}

    private LearnerFiles() {}

    static void write(
            final Path dir,
            final byte[] parameters,
            final TrainerConfig config,
            final int channels,
            final int imageSize,
            final StateWriter body)
            throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(PARAMETERS_FILE), parameters);
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(STATE_FILE))))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(config.backbone());
            out.writeInt(config.lowDim());
            out.writeInt(channels);
            out.writeInt(imageSize);
            body.write(out);
        }
        final Properties props = new Properties();
        for (final Map.Entry<String, String> e : config.toMap().entrySet()) {
            props.setProperty(e.getKey(), e.getValue());
        }
        try (var out = Files.newOutputStream(dir.resolve(CONFIG_FILE))) {
            props.store(out, "npid learner settings");
        }
    }

    static Header readHeader(final Path dir, final TrainerConfig config) throws IOException {
        try (DataInputStream in = open(dir)) {
            final Header header = new Header(in.readUTF(), in.readInt(), in.readInt(), in.readInt());
            if (!header.backbone().equals(config.backbone()) || header.lowDim() != config.lowDim()) {
                throw new IOException("Saved learner in " + dir + " is " + header.backbone() + "/" + header.lowDim()
                        + "-d but the config asks for " + config.backbone() + "/" + config.lowDim() + "-d");
            }
            return header;
        }
    }

    static byte[] parameters(final Path dir) throws IOException {
        return Files.readAllBytes(dir.resolve(PARAMETERS_FILE));
    }

    static void readState(final Path dir, final StateReader body) throws IOException {
        try (DataInputStream in = open(dir)) {
            in.readUTF();
            in.readInt();
            in.readInt();
            in.readInt();
            body.read(in);
        }
    }

    private static DataInputStream open(final Path dir) throws IOException {
        final DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(STATE_FILE))));
        final int magic = in.readInt();
        final int version = in.readInt();
        if (magic != MAGIC || version != VERSION) {
            in.close();
            throw new IOException(dir.resolve(STATE_FILE) + " is not a learner state of version " + VERSION);
        }
        return in;
    }
}
