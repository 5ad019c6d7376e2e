package io.npid.trainer.stream;

import io.npid.trainer.train.TrainingListener;

/**
 * A listener of the streaming trainer's loop: besides steps and epochs ({@link TrainingListener}) it is told at
 * the end of every iteration, where publication, checkpoints and progress reports fall due.
 */
interface LoopListener extends TrainingListener {
    /**
     * Called at the end of every iteration of the loop, in the order the listeners were added.
     *
     * @param nowMs the current time
     */
    default void onIteration(long nowMs) {}
}
