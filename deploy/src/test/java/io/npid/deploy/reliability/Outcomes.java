package io.npid.deploy.reliability;

import io.npid.deploy.reliability.BadInputCorpus.BadRecord;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.DeadLetter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Where each record of the bad-input corpus landed: the dead letters whose source is the record (matched by topic,
 * partition and offset, or by query id for what the indexer rejects on {@code query-vectors}) and the results of
 * its query id.
 */
final class Outcomes {
    private final Map<String, BadRecord> records = new LinkedHashMap<>();
    private final Map<String, RecordMetadata> placed = new LinkedHashMap<>();
    private final Map<String, List<String>> landed = new LinkedHashMap<>();
    private final List<DeadLetter> unmatched = new ArrayList<>();
    private final Map<String, String> refusals = new LinkedHashMap<>();

    /**
     * Notes where a record was written.
     *
     * @param record the corpus record
     * @param where its topic, partition and offset
     */
    void placed(final BadRecord record, final RecordMetadata where) {
        records.put(record.name(), record);
        placed.put(record.name(), where);
        landed.put(record.name(), new ArrayList<>());
    }

    /**
     * Notes that the broker refused a record, so it never reached a process.
     *
     * @param record the corpus record
     * @param cause the producer's error
     */
    void refused(final BadRecord record, final Throwable cause) {
        records.put(record.name(), record);
        landed.put(record.name(), new ArrayList<>(List.of("broker:refused")));
        refusals.put(record.name(), cause.getClass().getSimpleName());
    }

    /** @return the records placed, in order */
    List<BadRecord> records() {
        return List.copyOf(records.values());
    }

    /**
     * Matches dead letters and results to the placed records.
     *
     * @param deadLetters every dead letter read
     * @param results every result read
     * @param queryVectorsTopic the query-vectors topic's name
     */
    void match(
            final List<DeadLetter> deadLetters,
            final List<ClassificationResult> results,
            final String queryVectorsTopic) {
        landed.forEach((name, list) -> {
            list.clear();
            if (refusals.containsKey(name)) {
                list.add("broker:refused");
            }
        });
        unmatched.clear();
        for (final DeadLetter d : deadLetters) {
            final String name = source(d, queryVectorsTopic);
            if (name == null) {
                unmatched.add(d);
            } else {
                landed.get(name).add(d.getProcess() + ":" + d.getReason());
            }
        }
        for (final ClassificationResult r : results) {
            records.values().stream()
                    .filter(b -> b.target() == BadInputCorpus.Target.QUERIES
                            && queryId(b).equals(r.getQueryId()))
                    .forEach(b -> landed.get(b.name()).add("result:" + r.getStatus()));
        }
    }

    private String source(final DeadLetter d, final String queryVectorsTopic) {
        if (d.getSourceTopic().equals(queryVectorsTopic)) {
            final String key = d.getKey() == null
                    ? null
                    : StandardCharsets.UTF_8.decode(d.getKey()).toString();
            return records.values().stream()
                    .filter(b -> b.target() == BadInputCorpus.Target.QUERIES
                            && queryId(b).equals(key))
                    .map(BadRecord::name)
                    .findFirst()
                    .orElse(null);
        }
        for (final Map.Entry<String, RecordMetadata> e : placed.entrySet()) {
            final RecordMetadata m = e.getValue();
            if (m.topic().equals(d.getSourceTopic())
                    && m.partition() == d.getSourcePartition()
                    && m.offset() == d.getSourceOffset()) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * The id a query record is answered under: its key, else the id inside the value (the record's name).
     *
     * @param query a query record
     * @return the id
     */
    static String queryId(final BadRecord query) {
        return query.key() != null ? query.key() : query.name();
    }

    /**
     * What landed for a record: {@code process:reason} per dead letter, {@code result:STATUS} per result.
     *
     * @param name the record's name
     * @return the outcomes, possibly empty
     */
    List<String> landed(final String name) {
        return landed.get(name);
    }

    /** @return dead letters that match no placed record (must be none) */
    List<DeadLetter> unmatched() {
        return unmatched;
    }

    /**
     * Says whether a record got exactly what the corpus expects: every expected dead letter once and no other, an
     * ERROR result where one is expected, an OK result where one is expected, and nothing at all for a record that
     * must simply be accepted.
     *
     * @param record the record
     * @return null when it did, else what is wrong
     */
    String mismatch(final BadRecord record) {
        final List<String> got = landed(record.name());
        final List<String> expectedLetters = record.expected().stream()
                .filter(e -> !e.startsWith("result:") && !e.equals("accepted"))
                .sorted()
                .toList();
        // broker:refused counts as a "letter" here: it must be there exactly when expected
        final List<String> gotLetters =
                got.stream().filter(e -> !e.startsWith("result:")).sorted().toList();
        if (!expectedLetters.equals(gotLetters)) {
            return "dead letters " + gotLetters + ", expected " + expectedLetters;
        }
        for (final String e : record.expected()) {
            if (e.startsWith("result:") && !got.contains(e)) {
                return "no " + e + " (got " + got + ")";
            }
        }
        if (got.stream()
                .anyMatch(e -> e.startsWith("result:") && !record.expected().contains(e))) {
            return "unexpected result " + got;
        }
        return null;
    }

    /**
     * The table for the closing note: record, topic, what was expected, where it landed.
     *
     * @return markdown
     */
    String table() {
        final StringBuilder out =
                new StringBuilder("| record | topic | key | what is wrong | landed |\n" + "|---|---|---|---|---|\n");
        for (final BadRecord r : records.values()) {
            out.append("| ")
                    .append(r.name())
                    .append(" | ")
                    .append(r.target().name().toLowerCase(java.util.Locale.ROOT))
                    .append(" | ")
                    .append(r.key() == null ? "(null)" : r.key())
                    .append(" | ")
                    .append(r.description())
                    .append(" | ")
                    .append(
                            landed(r.name()).isEmpty()
                                    ? "accepted, no dead letter"
                                    : String.join(", ", landed(r.name())))
                    .append(refusals.containsKey(r.name()) ? " (" + refusals.get(r.name()) + ")" : "")
                    .append(" |\n");
        }
        return out.toString();
    }

    /**
     * Writes the table under {@code target/reliability/} and prints it.
     *
     * @param file file name
     * @param text the text
     */
    static void report(final String file, final String text) {
        System.out.println(text);
        save(file, text);
    }

    /**
     * Writes a text under {@code target/reliability/}.
     *
     * @param file file name
     * @param text the text
     */
    static void save(final String file, final String text) {
        try {
            final Path dir = Path.of("target", "reliability");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
