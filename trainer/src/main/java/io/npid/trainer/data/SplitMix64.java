package io.npid.trainer.data;

/**
 * A small seeded random generator (SplitMix64) whose whole state is one long, so it can be checkpointed.
 *
 * <p>Not thread-safe; give each thread its own instance. {@link #derive(long, long...)} builds independent seeds
 * from a base seed and counters (step, row, ...) so that work can be reproduced without carrying state.
 */
public final class SplitMix64 {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    /**
     * Creates a generator.
     *
     * @param seed the seed (any value)
     */
    public SplitMix64(final long seed) {
        this.state = seed;
    }

    /**
     * Returns a seed that depends on the base seed and every counter.
     *
     * @param seed base seed
     * @param counters values mixed in order
     * @return a well-mixed seed
     */
    public static long derive(final long seed, final long... counters) {
        long s = mix(seed + GOLDEN);
        for (final long c : counters) {
            s = mix(s ^ mix(c + GOLDEN));
        }
        return s;
    }

    private static long mix(final long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Returns the current state (restore it with {@link #setState(long)}).
     *
     * @return the state
     */
    public long state() {
        return state;
    }

    /**
     * Restores a state returned by {@link #state()}.
     *
     * @param newState the state
     */
    public void setState(final long newState) {
        this.state = newState;
    }

    /**
     * Returns the next 64 random bits.
     *
     * @return a random long
     */
    public long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /**
     * Returns a uniform int in [0, bound).
     *
     * @param bound exclusive upper bound, at least 1
     * @return a random int
     */
    public int nextInt(final int bound) {
        // Lemire's multiply-shift: unbiased enough for bounds far below 2^32 and branch-free.
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /**
     * Returns a uniform float in [0, 1).
     *
     * @return a random float
     */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /**
     * Returns a uniform double in [0, 1).
     *
     * @return a random double
     */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Returns a uniform double in [low, high).
     *
     * @param low inclusive lower bound
     * @param high exclusive upper bound
     * @return a random double
     */
    public double uniform(final double low, final double high) {
        return low + (high - low) * nextDouble();
    }
}
