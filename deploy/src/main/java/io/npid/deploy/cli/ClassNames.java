package io.npid.deploy.cli;

import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.SyntheticShapes;
import java.util.Arrays;
import java.util.List;

/**
 * Names for class labels, which travel through Kafka as numbers: a known data set's names or a list the user gives.
 */
final class ClassNames {
    private ClassNames() {
    }

    /**
     * Resolves {@code --class-names}.
     *
     * @param spec {@code fashion-mnist}, {@code cifar10}, {@code synthetic}, a comma-separated list, or null
     * @return the names by label, empty when none were given
     */
    static List<String> parse(final String spec) {
        if (spec == null || spec.isBlank()) {
            return List.of();
        }
        return switch (spec.strip()) {
            case "fashion-mnist" -> List.of(Datasets.FASHION_MNIST_CLASSES);
            case "cifar10", "cifar-10" -> List.of(Datasets.CIFAR10_CLASSES);
            case "synthetic" -> List.of(SyntheticShapes.CLASS_NAMES);
            default -> Arrays.stream(spec.split(",")).map(String::strip).toList();
        };
    }

    /**
     * Names a label.
     *
     * @param names names by label, possibly empty
     * @param label a label, or null
     * @return the name, or the number when unnamed, or a dash when absent
     */
    static String name(final List<String> names, final Integer label) {
        if (label == null || label < 0) {
            return "-";
        }
        return label < names.size() ? names.get(label) : Integer.toString(label);
    }
}
