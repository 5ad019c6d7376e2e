package io.npid.deploy.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void shouldPrintCountRateAndEtaEveryFewSeconds() {
        final AtomicLong clock = new AtomicLong();
        final StringWriter text = new StringWriter();
        final Progress progress = new Progress(
                new PrintWriter(text, true), "ingest", "images", 1000, clock::get, Progress.TERMINAL_EVERY_NANOS);

        clock.set(1_000_000_000L);
        progress.advance(100);
        clock.set(2_500_000_000L);
        progress.advance(150);

        assertEquals(
                "ingest: 250/1,000 images (25%), 100 images/s, ETA 0:08",
                text.toString().strip());
    }

    @Test
    void shouldPrintEveryThirtySecondsIntoALog() {
        final AtomicLong clock = new AtomicLong();
        final StringWriter text = new StringWriter();
        final Progress progress =
                new Progress(new PrintWriter(text, true), "train", "steps", 1000, clock::get, Progress.LOG_EVERY_NANOS);

        clock.set(2_500_000_000L);
        progress.advance(10);
        assertEquals("", text.toString(), "no line after 2.5 s into a log");
        clock.set(30_000_000_000L);
        progress.advance(290);

        assertEquals(
                "train: 300/1,000 steps (30%), 10 steps/s, ETA 1:10",
                text.toString().strip());
    }

    @Test
    void shouldGiveNoEtaFromTheFirstPercent() {
        final AtomicLong clock = new AtomicLong();
        final Progress progress = new Progress(
                new PrintWriter(new StringWriter()),
                "ingest",
                "images",
                10_000,
                clock::get,
                Progress.TERMINAL_EVERY_NANOS);
        progress.advance(10);
        clock.set(3_000_000_000L);

        assertTrue(!progress.line(clock.get()).contains("ETA"), progress.line(clock.get()));
    }

    @Test
    void shouldKeepTwoSignificantFiguresOfSlowRates() {
        assertEquals("2,433", Progress.rate(2433.4));
        assertEquals("55", Progress.rate(55.3));
        assertEquals("2.2", Progress.rate(2.24));
        assertEquals("0.38", Progress.rate(0.375));
        assertEquals("0.0041", Progress.rate(0.00412));
        assertEquals("2.0", Progress.rate(2.0));
        assertEquals("0", Progress.rate(0));
        assertEquals("-", Progress.rate(Double.NaN));
    }

    @Test
    void shouldNeverShowASlowTaskAsZeroPerSecondAndKeepItsClosingFigures() {
        final AtomicLong clock = new AtomicLong();
        final StringWriter text = new StringWriter();
        final Progress progress = new Progress(
                new PrintWriter(text, true), "train", "steps", 24, clock::get, Progress.TERMINAL_EVERY_NANOS);
        clock.set(30_000_000_000L);
        progress.set(12);
        clock.set(49_000_000_000L);
        progress.set(24);

        progress.finish();
        clock.set(60_000_000_000L);

        assertEquals(
                List.of(
                        "train: 12/24 steps (50%), 0.40 steps/s, ETA 0:30",
                        "train: 24/24 steps (100%), 0.49 " + "steps/s", "train: 24 steps in 0:49 (0.49 steps/s)"),
                text.toString().lines().toList());
        assertEquals(49.0, progress.elapsedSeconds(), 1e-9, "the closing line's time, not the clock's");
        assertEquals(24 / 49.0, progress.ratePerSecond(), 1e-9);
    }

    @Test
    void shouldSummariseAtTheEnd() {
        final AtomicLong clock = new AtomicLong();
        final StringWriter text = new StringWriter();
        final Progress progress = new Progress(
                new PrintWriter(text, true), "query", "answers", 0, clock::get, Progress.TERMINAL_EVERY_NANOS);
        progress.set(500);
        clock.set(65_000_000_000L);

        progress.finish();

        assertEquals(
                "query: 500 answers in 1:05 (7.7 answers/s)", text.toString().strip());
    }
}
