package io.npid.deploy.process;

import io.npid.trainer.checkpoint.CheckpointMeta;
import io.npid.trainer.stream.TrainerListener;
import io.npid.trainer.stream.TrainerStatus;
import java.util.List;

/** Several trainer listeners as one, called in order (the trainer guards each call). */
public final class TrainerListeners implements TrainerListener {
    private final List<TrainerListener> listeners;

    /**
     * Combines listeners.
     *
     * @param listeners called in this order
     */
    public TrainerListeners(final TrainerListener... listeners) {
        this.listeners = List.of(listeners);
    }

    @Override
    public void onStep(final long step, final long epoch, final float loss, final int rows) {
        listeners.forEach(l -> l.onStep(step, epoch, loss, rows));
    }

    @Override
    public void onEpochEnd(final long epoch, final long step, final double meanLoss) {
        listeners.forEach(l -> l.onEpochEnd(epoch, step, meanLoss));
    }

    @Override
    public void onIngest(final int images, final int newRows, final int labels, final int rows) {
        listeners.forEach(l -> l.onIngest(images, newRows, labels, rows));
    }

    @Override
    public void onRejected(final String topic, final String reason) {
        listeners.forEach(l -> l.onRejected(topic, reason));
    }

    @Override
    public void onCheckpoint(final CheckpointMeta meta) {
        listeners.forEach(l -> l.onCheckpoint(meta));
    }

    @Override
    public void onProgress(final TrainerStatus progress) {
        listeners.forEach(l -> l.onProgress(progress));
    }

    @Override
    public void onTrainingComplete(final TrainerStatus status) {
        listeners.forEach(l -> l.onTrainingComplete(status));
    }

    @Override
    public void onFailure(final Throwable error) {
        listeners.forEach(l -> l.onFailure(error));
    }
}
