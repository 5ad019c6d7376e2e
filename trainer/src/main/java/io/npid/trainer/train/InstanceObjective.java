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
     * Computes the loss of a batch.
     *
     * @param features (B, D) features, differentiable
     * @param bank the memory bank
     * @param targets (B) int64 own rows, on the step's manager
     * @param targetRows the same rows on the heap
     * @param step the step's manager
     * @return the scalar loss on the step's manager
     */
    NDArray loss(NDArray features, MemoryBank bank, NDArray targets, int[] targetRows, NDManager step);

    /** @return NCE's current Z, NaN when not applicable or not yet estimated */
    double z();

    /** Saves the state across checkpoints. */
    void write(DataOutputStream out) throws IOException;

    /** Restores the state written by {@link #write}. */
    void read(DataInputStream in) throws IOException;
}
