package io.npid.trainer.stream;

import io.npid.trainer.checkpoint.CheckpointMeta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wraps a {@link TrainerListener} so that an exception it throws is logged and training goes on. */
final class GuardedListener implements TrainerListener {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedListener.class);

    private final TrainerListener delegate;

    GuardedListener(final TrainerListener delegate) {
        this.delegate = delegate == null ? new TrainerListener() {} : delegate;
    }

    private void guard(final String method, final Runnable call) {
        try {
            call.run();
        } catch (final RuntimeException e) {
            LOG.warn(
                    "Trainer listener {} failed in {}; ignored",
                    delegate.getClass().getName(),
                    method,
                    e);
        }
    }

    @Override
    public void onStep(final long step, final long epoch, final float loss, final int rows) {
        guard("onStep", () -> delegate.onStep(step, epoch, loss, rows));
    }

    @Override
    public void onEpochEnd(final long epoch, final long step, final double meanLoss) {
        guard("onEpochEnd", () -> delegate.onEpochEnd(epoch, step, meanLoss));
    }

    @Override
    public void onIngest(final int images, final int newRows, final int labels, final int rows) {
        guard("onIngest", () -> delegate.onIngest(images, newRows, labels, rows));
    }

    @Override
    public void onRejected(final String topic, final String reason) {
        guard("onRejected", () -> delegate.onRejected(topic, reason));
    }

    @Override
    public void onCheckpoint(final CheckpointMeta meta) {
        guard("onCheckpoint", () -> delegate.onCheckpoint(meta));
    }

    @Override
    public void onProgress(final TrainerStatus progress) {
        guard("onProgress", () -> delegate.onProgress(progress));
    }

    @Override
    public void onTrainingComplete(final TrainerStatus status) {
        guard("onTrainingComplete", () -> delegate.onTrainingComplete(status));
    }

    @Override
    public void onFailure(final Throwable error) {
        guard("onFailure", () -> delegate.onFailure(error));
    }
}
