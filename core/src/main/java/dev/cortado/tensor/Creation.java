package dev.cortado.tensor;

import dev.cortado.backend.Backend;
import dev.cortado.backend.Storage;
import dev.cortado.backend.Backends;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/** Factories: constants, ranges, identity, host arrays and random tensors. */
final class Creation {
    private Creation() {
    }

    static Tensor full(int[] shape, double value, DType dtype, Device device) {
        Tensor t = Kernels.empty(shape, dtype, device);
        Backends.of(device).fill(t, value);
        return t;
    }

    static Tensor onesLike(Tensor t) {
        return full(t.shape, 1, t.dtype(), t.device());
    }

    static Tensor arange(long start, long end, long step) {
        int n = rangeLength("arange", start, end, step);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return fromLongs(v, new int[] {n}, Cortado.defaultDevice());
    }

    static Tensor arange(double start, double end, double step) {
        int n = rangeLength("arange", start, end, step);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return fromDoubles(v, new int[] {n}, Cortado.defaultDevice());
    }

    /**
     * steps values from start to end inclusive, as PyTorch's float32 {@code linspace} computes
     * them: from start up to the middle and from end back down after it, with one float step.
     */
    static Tensor linspace(double start, double end, int steps) {
        return linspace(start, end, steps, Cortado.defaultDevice());
    }

    static Tensor linspace(double start, double end, int steps, Device device) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
        }
        if (!Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("linspace: bounds must be finite, got start=" + start + ", end=" + end);
        }
        float a = (float) start;
        float b = (float) end;
        float step = steps > 1 ? (b - a) / (steps - 1) : 0f;
        float[] v = new float[steps];
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++) {
            v[i] = i < halfway ? a + step * i : b - step * (steps - i - 1);
        }
        return fromFloats(v, new int[] {steps}, device);
    }

    private static int rangeLength(String op, double start, double end, double step) {
        if (step == 0 || !Double.isFinite(start) || !Double.isFinite(end) || !Double.isFinite(step)) {
            throw new IllegalArgumentException(op + ": step must be nonzero and bounds finite, got start=" + start
                    + ", end=" + end + ", step=" + step);
        }
        if ((end - start) / step < 0) {
            throw new IllegalArgumentException(op + ": upper bound and larger bound inconsistent with step sign (start="
                    + start + ", end=" + end + ", step=" + step + ")");
        }
        double n = Math.ceil((end - start) / step);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(op + ": " + n + " elements do not fit one tensor");
        }
        return (int) n;
    }

    static Tensor eye(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("eye: sizes must be non-negative, got " + rows + " x " + cols);
        }
        float[] v = new float[Shapes.numel(new int[] {rows, cols})];
        for (int i = 0; i < Math.min(rows, cols); i++) {
            v[i * cols + i] = 1;
        }
        return fromFloats(v, new int[] {rows, cols}, Cortado.defaultDevice());
    }

    private static int[] shapeFor(String op, int length, int[] shape) {
        int n = Shapes.numel(shape);
        if (n != length) {
            throw new IllegalArgumentException(op + ": " + length + " values cannot fill shape " + Shapes.str(shape)
                    + " (" + n + " elements)");
        }
        return shape.clone();
    }

    static Tensor fromFloats(float[] data, int[] shape, Device device) {
        int[] s = shapeFor("fromArray", data.length, shape);
        Backend b = Backends.of(device);
        return Kernels.fresh(b.fromFloats(device, data), s);
    }

    static Tensor fromDoubles(double[] data, int[] shape, Device device) {
        int[] s = shapeFor("fromArray", data.length, shape);
        Backend b = Backends.of(device);
        return Kernels.fresh(b.fromDoubles(device, data), s);
    }

    static Tensor fromLongs(long[] data, int[] shape, Device device) {
        int[] s = shapeFor("fromArray", data.length, shape);
        Backend b = Backends.of(device);
        Storage storage = b.fromLongs(device, data);
        Int64Range.filled(storage, data);
        return Kernels.fresh(storage, s);
    }

    /** Nested Java arrays of any rank; rejects ragged arrays and unsupported element types. */
    static Tensor fromNested(Object data, Device device) {
        if (data == null || !data.getClass().isArray()) {
            throw new IllegalArgumentException("tensor: expected a (nested) array of float, double, int or long, got "
                    + (data == null ? "null" : data.getClass().getSimpleName()));
        }
        List<Integer> dims = new ArrayList<>();
        Object level = data;
        Class<?> type = data.getClass();
        while (type.isArray()) {
            dims.add(Array.getLength(level));
            type = type.getComponentType();
            if (type.isArray()) {
                level = Array.getLength(level) > 0 ? Array.get(level, 0) : Array.newInstance(type.getComponentType(), 0);
            }
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        int n = Shapes.numel(shape);
        if (type == float.class || type == double.class) {
            double[] flat = new double[n];
            flatten(data, shape, 0, flat, new int[1]);
            return fromDoubles(flat, shape, device);
        }
        if (type == int.class || type == long.class) {
            double[] flat = new double[n];
            flatten(data, shape, 0, flat, new int[1]);
            long[] longs = new long[n];
            for (int i = 0; i < n; i++) {
                longs[i] = (long) flat[i];
            }
            if (type == long.class) {
                flattenLongs(data, shape, 0, longs, new int[1]);
            }
            return fromLongs(longs, shape, device);
        }
        throw new IllegalArgumentException("tensor: element type " + type.getSimpleName() + " is not supported (use float, double, int or long)");
    }

    private static void flatten(Object a, int[] shape, int depth, double[] out, int[] pos) {
        int len = Array.getLength(a);
        if (len != shape[depth]) {
            throw new IllegalArgumentException("tensor: ragged nested array: dimension " + depth + " has lengths "
                    + shape[depth] + " and " + len);
        }
        if (depth == shape.length - 1) {
            for (int i = 0; i < len; i++) {
                out[pos[0]++] = ((Number) Array.get(a, i)).doubleValue();
            }
            return;
        }
        for (int i = 0; i < len; i++) {
            flatten(Array.get(a, i), shape, depth + 1, out, pos);
        }
    }

    // long values above 2^53 would lose bits through double, so they are copied again exactly.
    private static void flattenLongs(Object a, int[] shape, int depth, long[] out, int[] pos) {
        if (depth == shape.length - 1) {
            for (long v : (long[]) a) {
                out[pos[0]++] = v;
            }
            return;
        }
        for (int i = 0; i < Array.getLength(a); i++) {
            flattenLongs(Array.get(a, i), shape, depth + 1, out, pos);
        }
    }

    static Tensor rand(int[] shape, Device device) {
        return fromFloats(Cortado.defaultGenerator().uniform(Shapes.numel(shape)), shape.length == 0 ? new int[0] : shape, device)
                .reshape(shape);
    }

    static Tensor randn(int[] shape, Device device) {
        return fromFloats(Cortado.defaultGenerator().normal(Shapes.numel(shape)), shape.length == 0 ? new int[0] : shape, device)
                .reshape(shape);
    }

    /**
     * Overwrites t with Bernoulli(p) samples, like {@code tensor.bernoulli_(p)}: one key from the
     * default generator, then each element drawn by t's backend from (key, row-major index), so
     * a seed gives the same mask on every device and the values never cross to the device.
     */
    static void bernoulli(Tensor t, double p) {
        InPlace.check("bernoulli_", t);
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli_: p has to be between 0 and 1, but got " + p);
        }
        if (t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("bernoulli_: expected a float32 tensor, got " + t.dtype());
        }
        long key = Cortado.defaultGenerator().nextLong();
        if (t.numel() == 0) {
            return;
        }
        Backend backend = Kernels.backend(t);
        if (t.isContiguous()) {
            backend.bernoulli(t, key, p);
            return;
        }
        Tensor dense = Kernels.empty(t.shape, DType.FLOAT32, t.device());
        backend.bernoulli(dense, key, p);
        backend.copy(t, dense);
    }

    static Tensor randint(long low, long high, int[] shape, Device device) {
        if (high <= low) {
            throw new IllegalArgumentException("randint: high (" + high + ") must be greater than low (" + low + ")");
        }
        Generator g = Cortado.defaultGenerator();
        long[] v = new long[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = low + g.nextLong(high - low);
        }
        return fromLongs(v, shape.length == 0 ? new int[0] : shape, device).reshape(shape);
    }
}
