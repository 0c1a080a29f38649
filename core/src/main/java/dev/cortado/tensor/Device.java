package dev.cortado.tensor;

import java.util.Objects;

/**
 * Where a tensor's storage lives: a backend type ({@code "cpu"}, {@code "cuda"}) and an index.
 *
 * <pre>{@code
 * Tensor x = Tensor.zeros(2, 3).to(Device.CPU);
 * }</pre>
 */
public record Device(String type, int index) {
    public static final Device CPU = new Device("cpu", 0);

    public Device {
        Objects.requireNonNull(type, "type");
        if (index < 0) {
            throw new IllegalArgumentException("Device: index must be >= 0, got " + index);
        }
    }

    /** The first CUDA device. Using it needs the cortado-cuda backend on the class path. */
    public static Device cuda() {
        return new Device("cuda", 0);
    }

    public static Device cuda(int index) {
        return new Device("cuda", index);
    }

    /** Parses {@code "cpu"}, {@code "cuda"} or {@code "cuda:1"}. */
    public static Device parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            return new Device(spec, 0);
        }
        try {
            return new Device(spec.substring(0, colon), Integer.parseInt(spec.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Device.parse: '" + spec + "' is not of the form type or type:index", e);
        }
    }

    @Override
    public String toString() {
        return type.equals("cpu") ? "cpu" : type + ":" + index;
    }
}
