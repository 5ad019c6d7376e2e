package io.npid.trainer.train;

/**
 * What one training step did.
 *
 * @param step the learner's step count after this step
 * @param loss the batch loss
 * @param rows the bank rows trained on
 * @param newBankRows their updated bank rows, rows.length * dim floats (to persist and publish)
 * @param z NCE's normalising constant (NaN for the softmax)
 */
public record StepResult(long step, float loss, int[] rows, float[] newBankRows, double z) {}
