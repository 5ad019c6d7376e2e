package io.npid.bench.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.npid.trainer.loss.NceLoss;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The NCE loss forward pass on a batch of similarities (positive plus K negatives per sample), with Z estimated
 * from the batch as on the first steps of training. Runs on DJL's PyTorch engine on the CPU.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dai.djl.offline=true")
public class NceLossBenchmark {

    /** Samples per batch. */
    @Param("256")
    public int batch;

    /** Negatives per sample (the paper's K = 4096). */
    @Param("4096")
    public int negatives;

    /** Memory-bank size N. */
    @Param("60000")
    public long bankSize;

    private NDManager manager;
    private NDArray similarities;
    private NceLoss loss;

    /** Creates the similarities, uniform in [-1, 1) like cosines of unit vectors. */
    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager();
        similarities = manager.randomUniform(-1f, 1f, new Shape(batch, negatives + 1));
        loss = new NceLoss(negatives, 0.07f);
    }

    /** Frees the native memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /**
     * Estimates Z and computes the loss; intermediates are freed with their sub-manager.
     *
     * @return the loss value
     */
    @Benchmark
    public float forward() {
        try (NDManager step = manager.newSubManager()) {
            final NDArray s = similarities.duplicate();
            s.attach(step);
            final double z = loss.estimateZ(s, bankSize);
            return loss.loss(s, bankSize, z).getFloat();
        }
    }
}
