package io.npid.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CheckpointScheduleTest {
    @Test
    void shouldFireEveryMSteps() {
        final CheckpointSchedule schedule = new CheckpointSchedule(10, 0, 100, 0);
        assertFalse(schedule.due(109, 1_000_000));
        assertTrue(schedule.due(110, 0));
        schedule.taken(110, 5);
        assertFalse(schedule.due(119, 6));
        assertTrue(schedule.due(120, 6));
    }

    @Test
    void shouldFireAfterTMillisecondsOnlyWhenTheStepMoved() {
        final CheckpointSchedule schedule = new CheckpointSchedule(0, 1000, 7, 0);
        assertFalse(schedule.due(7, 5000), "no progress, no checkpoint");
        assertFalse(schedule.due(8, 999));
        assertTrue(schedule.due(8, 1000));
    }
}
