package io.npid.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * One of the instance-discrimination objectives as the learner uses it: features and their own bank rows in, a
 * differentiable scalar loss out, plus whatever state the objective carries across steps (NCE's Z and sampler).
 */
interface InstanceObjective {

    /**
     * A batch's loss, and its gradient with respect to the features when the objective computes it in closed form.
     *
     * @param loss scalar loss
     * @param gradient (B, D) dL/df, or null to back-propagate from the loss by autograd
     */
    record Output(NDArray loss, NDArray gradient) {}

    /**
     * Computes the loss of a batch.
     *
     * @param features (B, D) features, differentiable
     * @param bank the memory bank
     * @param targets (B) int64 own rows, on the step's manager
     * @param targetRows the same rows on the heap
     * @param ownRows (B, D) the targets' bank rows (before this step's update)
     * @param step the step's manager
     * @return the loss (and gradient) on the step's manager
     */
    Output loss(NDArray features, MemoryBank bank, NDArray targets, int[] targetRows, NDArray ownRows, NDManager step);

    /** @return NCE's current Z, NaN when not applicable or not yet estimated */
    double z();

    /** Saves the state across checkpoints. */
    void write(DataOutputStream out) throws IOException;

    /** Restores the state written by {@link #write}. */
    void read(DataInputStream in) throws IOException;
}
