package io.npid.trainer.data;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once per process, as a warning, that colour images are being turned grey because the model takes grey input:
 * a running stack would otherwise discard every photo's colour without a word. Thread-safe.
 */
public final class ColourDropNotice {
    private static final Logger LOG = LoggerFactory.getLogger(ColourDropNotice.class);

    private final String advice;
    private final AtomicBoolean said = new AtomicBoolean();

    /**
     * Creates a notice.
     *
     * @param advice the sentence that tells the user what to change, e.g. which setting
     */
    public ColourDropNotice(final String advice) {
        this.advice = advice;
    }

    /**
     * Warns the first time a colour image meets a grey model.
     *
     * @param image the decoded image
     * @param modelChannels the model's input channels
     * @param what names the image, e.g. "image 'cat/001.jpg'"
     * @return whether this call warned
     */
    public boolean observe(final DecodedImage image, final int modelChannels, final String what) {
        if (image.channels() == 3 && modelChannels == 1 && said.compareAndSet(false, true)) {
            LOG.warn(
                    "{} is in colour but the model takes grey input, so its colour (and every later image's) is "
                            + "discarded. {}",
                    what,
                    advice);
            return true;
        }
        return false;
    }
}
