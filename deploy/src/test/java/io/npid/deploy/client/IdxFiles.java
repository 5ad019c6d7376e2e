package io.npid.deploy.client;

import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.LabelledImages;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a data set as MNIST-style IDX files, so tests can use the real loaders on small generated sets. */
public final class IdxFiles {
    private IdxFiles() {}

    /**
     * Writes {@code <prefix>-images-idx3-ubyte} and {@code <prefix>-labels-idx1-ubyte}.
     *
     * @param dir target folder
     * @param prefix {@code train} or {@code t10k}
     * @param data 28x28 grey images
     * @throws IOException when writing fails
     */
    public static void write(final Path dir, final String prefix, final LabelledImages data) throws IOException {
        Files.createDirectories(dir);
        final DecodedImage first = data.images().get(0);
        try (OutputStream raw = Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte"));
                DataOutputStream out = new DataOutputStream(raw)) {
            out.writeInt(0x00000803);
            out.writeInt(data.size());
            out.writeInt(first.height());
            out.writeInt(first.width());
            for (DecodedImage image : data.images()) {
                out.write(image.pixels());
            }
        }
        try (OutputStream raw = Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte"));
                DataOutputStream out = new DataOutputStream(raw)) {
            out.writeInt(0x00000801);
            out.writeInt(data.size());
            for (int label : data.labels()) {
                out.writeByte(label);
            }
        }
    }
}
