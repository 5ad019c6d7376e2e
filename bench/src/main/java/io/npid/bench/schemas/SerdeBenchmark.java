package io.npid.bench.schemas;

import io.npid.bench.data.RandomVectors;
import io.npid.bench.report.BenchArgs;
import io.npid.bench.report.BenchJson;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.Image;
import io.npid.schemas.event.ImageEncoding;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.serde.EventSerde;
import io.npid.schemas.serde.VectorCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Measures the event serdes: encode, decode and round-trip rates (records/s, one thread) and encoded sizes of a
 * 28x28 raw ImageEvent and a 128-d FeatureEvent, and {@code bytes} against {@code array<float>} for vectors.
 *
 * <p>Usage: {@code SerdeBenchmark [--seconds S] [--rounds R] [--json PATH]}; each figure is the median of R
 * rounds of S seconds after one warm-up round.
 */
public final class SerdeBenchmark {

    private static final int DIM = 128;
    private static final Schema VECTOR_AS_BYTES = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"V\",\"fields\":[{\"name\":\"vector\",\"type\":\"bytes\"}]}");
    private static final Schema VECTOR_AS_ARRAY = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"V\","
                    + "\"fields\":[{\"name\":\"vector\",\"type\":{\"type\":\"array\",\"items\":\"float\"}}]}");

    private final double seconds;
    private final int rounds;
    private long sink;

    private SerdeBenchmark(final double seconds, final int rounds) {
        this.seconds = seconds;
        this.rounds = rounds;
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code [--seconds S] [--rounds R] [--json PATH]}
     * @throws Exception if the JSON cannot be written
     */
    public static void main(final String[] args) throws Exception {
        final BenchArgs parsed = BenchArgs.parse(args, Map.of("--seconds", "1", "--rounds", "3"));
        final Map<String, Object> report = run(parsed.getDouble("--seconds"), parsed.getInt("--rounds"));
        System.out.println(BenchJson.toJson(report));
        if (parsed.json() != null) {
            BenchJson.write(report, parsed.json());
        }
    }

    /**
     * Measures every figure ({@code npid bench serde}).
     *
     * @param seconds length of one round
     * @param rounds measured rounds per figure (after one warm-up round); each figure is their median
     * @return the figures by JSON key
     * @throws IOException if Avro fails
     */
    public static Map<String, Object> run(final double seconds, final int rounds) throws IOException {
        if (!(seconds > 0) || rounds < 1) {
            throw new IllegalArgumentException(
                    "--seconds must be above 0 and --rounds at least 1, got " + seconds + " and " + rounds);
        }
        return new SerdeBenchmark(seconds, rounds).run();
    }

    private Map<String, Object> run() throws IOException {
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "serde");
        report.put("java", System.getProperty("java.version"));
        report.put("cpus", Runtime.getRuntime().availableProcessors());
        report.put("secondsPerRound", seconds);
        report.put("rounds", rounds);

        final EventSerde<ImageEvent> images = EventSerde.of(ImageEvent.class);
        final ImageEvent image = image();
        final byte[] imageBytes = images.encode(image);
        final Map<String, Object> imageFigures = new LinkedHashMap<>();
        imageFigures.put("encodedBytes", imageBytes.length);
        imageFigures.put("encodePerSecond", rate("image encode", () -> images.encode(image).length));
        imageFigures.put(
                "decodePerSecond",
                rate("image decode", () -> images.decode(imageBytes).getId().length()));
        imageFigures.put(
                "roundTripPerSecond",
                rate(
                        "image encode+decode",
                        () -> images.decode(images.encode(image)).getId().length()));
        imageFigures.put(
                "avroGeneratedDecodePerSecond",
                rate(
                        "image decode (Avro generated decoder)",
                        () -> ImageEvent.getDecoder().decode(imageBytes).getId().length()));
        report.put("imageEvent28x28", imageFigures);

        final EventSerde<FeatureEvent> features = EventSerde.of(FeatureEvent.class);
        final FeatureEvent feature = feature();
        final byte[] featureBytes = features.encode(feature);
        final Map<String, Object> featureFigures = new LinkedHashMap<>();
        featureFigures.put("encodedBytes", featureBytes.length);
        featureFigures.put("encodePerSecond", rate("feature encode", () -> features.encode(feature).length));
        featureFigures.put(
                "decodePerSecond",
                rate(
                        "feature decode",
                        () -> features.decode(featureBytes).getId().length()));
        featureFigures.put(
                "roundTripPerSecond",
                rate(
                        "feature encode+decode",
                        () -> features.decode(features.encode(feature)).getId().length()));
        featureFigures.put(
                "roundTripToFloatsPerSecond",
                rate(
                        "feature encode+decode to float[]",
                        () -> VectorCodec.decode(features.decode(features.encode(feature))
                                        .getVector())
                                .length));
        featureFigures.put(
                "avroGeneratedDecodePerSecond",
                rate(
                        "feature decode (Avro generated decoder)",
                        () -> FeatureEvent.getDecoder()
                                .decode(featureBytes)
                                .getId()
                                .length()));
        report.put("featureEvent128d", featureFigures);

        report.put("vector128dBytesVsArrayOfFloat", vectorFormats());
        report.put("checksum", sink);
        return report;
    }

    /** The vector field alone, as {@code bytes} (our choice) and as {@code array<float>}, decoded to float[]. */
    private Map<String, Object> vectorFormats() throws IOException {
        final float[] vector = RandomVectors.unitRows(1, DIM, 3);
        final GenericRecord asBytes = new GenericData.Record(VECTOR_AS_BYTES);
        asBytes.put("vector", VectorCodec.encode(vector));
        final GenericRecord asArray = new GenericData.Record(VECTOR_AS_ARRAY);
        final List<Float> boxed = new ArrayList<>();
        for (final float v : vector) {
            boxed.add(v);
        }
        asArray.put("vector", boxed);
        final byte[] bytesPayload = encode(asBytes);
        final byte[] arrayPayload = encode(asArray);
        final GenericDatumReader<GenericRecord> bytesReader = new GenericDatumReader<>(VECTOR_AS_BYTES);
        final GenericDatumReader<GenericRecord> arrayReader = new GenericDatumReader<>(VECTOR_AS_ARRAY);
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("bytesEncodedBytes", bytesPayload.length);
        figures.put("arrayEncodedBytes", arrayPayload.length);
        figures.put("bytesDecodeToFloatsPerSecond", rate("vector as bytes -> float[]", () -> {
            final GenericRecord r = bytesReader.read(null, decoder(bytesPayload));
            return VectorCodec.decode((ByteBuffer) r.get("vector")).length;
        }));
        figures.put("arrayDecodeToFloatsPerSecond", rate("vector as array<float> -> float[]", () -> {
            final GenericRecord r = arrayReader.read(null, decoder(arrayPayload));
            @SuppressWarnings("unchecked")
            final List<Float> values = (List<Float>) r.get("vector");
            final float[] out = new float[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
            return out.length;
        }));
        return figures;
    }

    private double rate(final String name, final Op op) {
        try {
            measure(op, seconds);
            final double[] results = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                results[r] = measure(op, seconds);
            }
            Arrays.sort(results);
            final double median = results[rounds / 2];
            System.out.printf("%-45s %,14.0f /s%n", name, median);
            return median;
        } catch (final IOException e) {
            throw new IllegalStateException(name + " failed", e);
        }
    }

    private double measure(final Op op, final double durationSeconds) throws IOException {
        final long budget = (long) (durationSeconds * 1e9);
        final long begin = System.nanoTime();
        long count = 0;
        long elapsed;
        do {
            for (int i = 0; i < 256; i++) {
                sink += op.run();
            }
            count += 256;
            elapsed = System.nanoTime() - begin;
        } while (elapsed < budget);
        return count / (elapsed / 1e9);
    }

    private static byte[] encode(final GenericRecord record) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static BinaryDecoder decoder(final byte[] payload) {
        return DecoderFactory.get().binaryDecoder(payload, null);
    }

    private static ImageEvent image() {
        final byte[] pixels = new byte[28 * 28];
        new Random(1).nextBytes(pixels);
        return ImageEvent.newBuilder()
                .setId("fashion-mnist-train-012345")
                .setImage(Image.newBuilder()
                        .setEncoding(ImageEncoding.RAW)
                        .setData(ByteBuffer.wrap(pixels))
                        .setWidth(28)
                        .setHeight(28)
                        .setChannels(1)
                        .build())
                .setLabel(7)
                .setSource("fashion-mnist/train")
                .setTimestampMs(System.currentTimeMillis())
                .build();
    }

    private static FeatureEvent feature() {
        return FeatureEvent.newBuilder()
                .setId("fashion-mnist-train-012345")
                .setVector(VectorCodec.encode(RandomVectors.unitRows(1, DIM, 2)))
                .setLabel(7)
                .setModelVersion(42)
                .setStep(123_456)
                .setTimestampMs(System.currentTimeMillis())
                .build();
    }

    /** One benchmarked operation; returns a number that feeds the sink so the JIT cannot drop the work. */
    @FunctionalInterface
    private interface Op {
        int run() throws IOException;
    }
}
