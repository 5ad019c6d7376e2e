package io.npid.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KraftStorageTest {

    @Test
    void shouldNeverHandOutOnePortTwiceNorTheTakenOne() {
        // CI once started a broker with its client and controller listeners on one port (two separate lookups)
        for (int round = 0; round < 200; round++) {
            final int taken = KraftStorage.freeLoopbackPorts(1, 0)[0];
            final int[] ports = KraftStorage.freeLoopbackPorts(4, taken);
            assertEquals(4, Arrays.stream(ports).distinct().count(), Arrays.toString(ports));
            assertTrue(Arrays.stream(ports).allMatch(port -> port > 0 && port != taken), Arrays.toString(ports));
        }
    }
}
