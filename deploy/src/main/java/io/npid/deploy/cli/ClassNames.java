package io.npid.deploy.cli;

import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.SyntheticShapes;
import java.util.Arrays;
import java.util.List;

/**
 * Names of classes: results carry a class name when the labels sent one; numeric labels (e.g. an IDX data set
 * ingested without names) are named from a known data set's names or a list the user gives.
 */
final class ClassNames {
    private ClassNames() {}

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
     * Names a class the way results carry it: by its name when it has one, else by its number.
     *
     * @param className the class name a result carries, or null (legacy numeric labels)
     * @param names names by label for numeric labels ({@code --class-names}), possibly empty
     * @param label the label, or null
     * @return the name, else the number's name or the number, else a dash
     */
    static String name(final String className, final List<String> names, final Integer label) {
        return className != null ? className : name(names, label);
    }

    /**
     * Names a label.
     *
     * @param names names by label, possibly empty or with gaps (null)
     * @param label a label, or null
     * @return the name, or the number when unnamed, or a dash when absent
     */
    static String name(final List<String> names, final Integer label) {
        if (label == null || label < 0) {
            return "-";
        }
        return label < names.size() && names.get(label) != null ? names.get(label) : Integer.toString(label);
    }
}
