package io.npid.trainer.embed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wraps an {@link EmbedderListener} so that an exception it throws is logged and the embedder goes on. */
final class GuardedEmbedderListener implements EmbedderListener {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedEmbedderListener.class);

    private final EmbedderListener delegate;

    GuardedEmbedderListener(final EmbedderListener delegate) {
        this.delegate = delegate == null ? new EmbedderListener() {} : delegate;
    }

    private void guard(final String method, final Runnable call) {
        try {
            call.run();
        } catch (final RuntimeException e) {
            LOG.warn(
                    "Embedder listener {} failed in {}; ignored",
                    delegate.getClass().getName(),
                    method,
                    e);
        }
    }

    @Override
    public void onModelLoaded(final long version, final long step) {
        guard("onModelLoaded", () -> delegate.onModelLoaded(version, step));
    }

    @Override
    public void onAnswered(final int vectors, final int errors, final long embedNanos) {
        guard("onAnswered", () -> delegate.onAnswered(vectors, errors, embedNanos));
    }

    @Override
    public void onRejected(final String topic, final String reason) {
        guard("onRejected", () -> delegate.onRejected(topic, reason));
    }

    @Override
    public void onFailure(final Throwable error) {
        guard("onFailure", () -> delegate.onFailure(error));
    }
}
