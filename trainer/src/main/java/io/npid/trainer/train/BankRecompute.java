package io.npid.trainer.train;

import io.npid.trainer.data.DecodedImage;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The bank-refresh half of {@link NpidLearner}: writes re-embedded rows over the bank, with the live encoder or with
 * the snapshot a spread refresh froze ({@link FrozenEncoder}). Used on the learner's thread only.
 */
final class BankRecompute implements AutoCloseable {
    private final MemoryBank bank;
    private FrozenEncoder frozen;

    BankRecompute(final MemoryBank bank) {
        this.bank = bank;
    }

    /**
     * Embeds images of consecutive rows and writes them over those rows (checked first: no work for rows that are
     * not in the bank).
     *
     * @param firstRow the row of the first image
     * @param images the images
     * @param embed the embedding to use
     * @return the new rows
     */
    float[] replace(
            final int firstRow, final List<DecodedImage> images, final Function<List<DecodedImage>, float[]> embed) {
        bank.checkRows(firstRow, images.size());
        final float[] rows = embed.apply(images);
        bank.replace(firstRow, rows);
        return rows;
    }

    /**
     * Replaces the snapshot (the old one is freed before the new one is made).
     *
     * @param snapshot makes the new snapshot
     */
    void freeze(final Supplier<FrozenEncoder> snapshot) {
        close();
        frozen = snapshot.get();
    }

    /**
     * Like {@link #replace}, with the snapshot.
     *
     * @param firstRow the row of the first image
     * @param images the images
     * @return the new rows
     * @throws IllegalStateException when no snapshot was taken
     */
    float[] replaceFrozen(final int firstRow, final List<DecodedImage> images) {
        if (frozen == null) {
            throw new IllegalStateException("No frozen encoder: call freezeEncoder() first");
        }
        return replace(firstRow, images, frozen::embed);
    }

    /** Frees the snapshot, if any. */
    @Override
    public void close() {
        if (frozen != null) {
            frozen.close();
            frozen = null;
        }
    }
}
