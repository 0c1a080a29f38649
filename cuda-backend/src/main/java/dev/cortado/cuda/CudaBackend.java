package dev.cortado.cuda;

import dev.cortado.autograd.GradMode;
import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.Conv2dParams;
import dev.cortado.backend.Pool2dParams;
import dev.cortado.backend.ReduceOp;
import dev.cortado.backend.Storage;
import dev.cortado.backend.UnaryOp;
import dev.cortado.cuda.driver.ConvShape;
import dev.cortado.cuda.driver.LaunchArgs;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;

/**
 * The CUDA backend: cuBLAS for matrix products, cuDNN for convolutions, and Cortado's NVRTC
 * kernels (kernels.cu) for everything else, all on each device's default stream.
 */
final class CudaBackend implements Backend {
    private static final int BLOCK = 256;
    private static final int MAX_GRID = 1 << 20;

    private final String type;
    private final CudaDevice[] devices;
    private final IntFunction<DeviceRuntime> runtimes;

    /** The backend of the machine's GPUs. */
    CudaBackend(int deviceCount) {
        this("cuda", deviceCount, CudaSettings.profile() ? index -> new ProfilingRuntime(new CudaRuntime(index)) : CudaRuntime::new);
    }

    /** A backend for devices of {@code type}, each driven by the runtime made for its index. */
    CudaBackend(String type, int deviceCount, IntFunction<DeviceRuntime> runtimes) {
        this.type = type;
        this.devices = new CudaDevice[deviceCount];
        this.runtimes = runtimes;
    }

    @Override
    public String name() {
        return type;
    }

    /** The context of {@code device}, made current on this thread. */
    synchronized CudaDevice context(Device device) {
        if (!device.type().equals(type)) {
            throw new IllegalArgumentException(type + " backend asked for device " + device);
        }
        if (device.index() >= devices.length) {
            throw new IllegalArgumentException(device + " does not exist: this machine has " + devices.length + " " + type + " device"
                    + (devices.length == 1 ? "" : "s") + " (" + type + ":0" + (devices.length > 1 ? " to " + type + ":" + (devices.length - 1) : "")
                    + ")");
        }
        CudaDevice d = devices[device.index()];
        if (d == null) {
            d = new CudaDevice(device, runtimes.apply(device.index()));
            devices[device.index()] = d;
        }
        d.bind();
        return d;
    }

    private CudaDevice context(Tensor t) {
        return context(t.device());
    }

    private static CudaStorage storage(Tensor t) {
        Storage s = t.storage();
        if (!(s instanceof CudaStorage c)) {
            throw new IllegalArgumentException("cuda backend given a tensor on " + s.device());
        }
        return c;
    }

    /** Address of the storage's first element; kernels add the view's offset from its layout. */
    private static long base(Tensor t) {
        return storage(t).address(0);
    }

    /** Address of the view's first element, for cuBLAS and cuDNN. */
    private static long first(Tensor t) {
        return storage(t).address(t.offset());
    }

    private static long optional(Tensor t) {
        return t == null ? 0 : first(t);
    }

    private static int[] lay(Tensor t) {
        return Strided.pack(t.shape(), t.strides(), t.offset());
    }

    private static int[] contiguousLay(int[] shape) {
        return Strided.pack(shape, Shapes.contiguousStrides(shape), 0);
    }

    /**
     * Whether every given tensor's layout fits the kernels (see {@link Strided#fits}): at once for
     * tensors of at most eight dims, with no copies of their shapes on every elementwise op.
     */
    private static boolean fit(Tensor... ts) {
        for (Tensor t : ts) {
            if (t.dim() > Strided.MAX_DIMS && !Strided.fits(t.shape(), t.strides())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs an elementwise op once per index of the operands' leading dim (they all have out's
     * shape), on that slice of each: a view whose dims do not merge into the kernels' eight is
     * walked a dim smaller at a time instead of refused, as the CPU takes it.
     */
    private static void bySlices(Consumer<Tensor[]> op, Tensor... operands) {
        try (var off = GradMode.off()) {
            for (int i = 0; i < operands[0].size(0); i++) {
                Tensor[] slice = new Tensor[operands.length];
                for (int j = 0; j < operands.length; j++) {
                    slice[j] = operands[j].select(0, i);
                }
                op.accept(slice);
            }
        }
    }

    /**
     * For an arg-reduction or softmax whose input x is a view of dims that do not merge into the
     * kernels' eight: runs it on a contiguous copy of x instead (returning true), whose dims merge.
     */
    private static boolean onContiguousCopy(Tensor x, boolean fits, Consumer<Tensor> op) {
        if (fits || x.isContiguous()) {
            return false;
        }
        onContiguousCopies(c -> op.accept(c[0]), x);
        return true;
    }

    private static void requireContiguous(String op, Tensor... ts) {
        for (Tensor t : ts) {
            if (t != null && !t.isContiguous()) {
                throw new IllegalArgumentException("cuda " + op + ": expects contiguous tensors, got shape " + Shapes.str(t.shape())
                        + " with strides " + Shapes.str(t.strides()));
            }
        }
    }

    /** Launches an elementwise kernel over n elements, grid-stride. */
    private static void elementwise(CudaDevice d, String kernel, int n, LaunchArgs args) {
        over(d, kernel, n, BLOCK, args);
    }

    /** Elements per thread of a float unary, binary or scalar kernel whose operands are all contiguous (kernels.cu, UNROLL). */
    static final int DENSE_UNROLL = 4;

    /** elementwise() for a kernel that takes its dense path: DENSE_UNROLL elements per thread. */
    private static void dense(CudaDevice d, String kernel, int n, LaunchArgs args) {
        over(d, kernel, n, BLOCK * DENSE_UNROLL, args);
    }

    /** A float elementwise kernel over n elements: its dense path where every operand's layout is one contiguous run, else strided. */
    private static void mapped(CudaDevice d, String kernel, int n, LaunchArgs args, int[]... lays) {
        for (int[] lay : lays) {
            if (!Strided.dense(lay)) {
                elementwise(d, kernel, n, args);
                return;
            }
        }
        dense(d, kernel, n, args);
    }

    /** Launches a grid-stride kernel over n elements with enough blocks of BLOCK threads for perBlock elements each. */
    private static void over(CudaDevice d, String kernel, int n, int perBlock, LaunchArgs args) {
        if (n == 0) {
            args.close();
            return;
        }
        d.runtime.launch(kernel, (int) Math.min(((long) n + perBlock - 1) / perBlock, MAX_GRID), BLOCK, args);
    }

    /**
     * Runs launches that hand partial results (doubles) from one kernel to the next through a
     * scratch block, given back after them: the default stream runs them before any later use of it.
     */
    private static void withPartials(CudaDevice d, long doubles, LongConsumer launches) {
        CachingAllocator.Block partial = d.allocator.allocate(doubles * Double.BYTES);
        try {
            launches.accept(partial.address());
        } finally {
            d.allocator.free(partial, false);
        }
    }

    /** Launches a kernel with one block per output element (reductions). */
    private static void perOutput(CudaDevice d, String kernel, int outputs, LaunchArgs args) {
        if (outputs == 0) {
            args.close();
            return;
        }
        d.runtime.launch(kernel, Math.min(outputs, MAX_GRID), BLOCK, args);
    }

    // ---- storage and copies --------------------------------------------------------------------

    @Override
    public Storage allocate(Device device, DType dtype, int size) {
        return new CudaStorage(context(device).allocator, device, dtype, size);
    }

    @Override
    public Storage fromFloats(Device device, float[] data) {
        CudaDevice d = context(device);
        CudaStorage s = new CudaStorage(d.allocator, device, DType.FLOAT32, data.length);
        d.runtime.upload(s.address(0), data);
        return s;
    }

    @Override
    public Storage fromDoubles(Device device, double[] data) {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return fromFloats(device, f);
    }

    @Override
    public Storage fromLongs(Device device, long[] data) {
        CudaDevice d = context(device);
        CudaStorage s = new CudaStorage(d.allocator, device, DType.INT64, data.length);
        d.runtime.upload(s.address(0), data);
        return s;
    }

    /** Runs {@code read} on the address of src's elements in row-major order, gathering a strided view into a temporary first. */
    private void readContiguous(Tensor src, java.util.function.LongConsumer read) {
        CudaDevice d = context(src);
        if (src.isContiguous()) {
            read.accept(first(src));
            return;
        }
        int bytes = CudaStorage.elementBytes(src.dtype());
        CachingAllocator.Block tmp = d.allocator.allocate((long) src.numel() * bytes);
        try {
            gatherTo(d, src, tmp.address());
            read.accept(tmp.address());
        } finally {
            d.allocator.free(tmp, false);
        }
    }

    @Override
    public float[] toFloats(Tensor src) {
        requireDtype("toFloats", src, DType.FLOAT32);
        float[] out = new float[src.numel()];
        if (out.length > 0) {
            CudaDevice d = context(src);
            readContiguous(src, address -> d.runtime.download(out, address));
        }
        return out;
    }

    @Override
    public double[] toDoubles(Tensor src) {
        float[] f = toFloats(src);
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    @Override
    public long[] toLongs(Tensor src) {
        requireDtype("toLongs", src, DType.INT64);
        long[] out = new long[src.numel()];
        if (out.length > 0) {
            CudaDevice d = context(src);
            readContiguous(src, address -> d.runtime.download(out, address));
        }
        return out;
    }

    private static void requireDtype(String op, Tensor t, DType dtype) {
        if (t.dtype() != dtype) {
            throw new IllegalArgumentException("cuda " + op + ": expects " + dtype + ", got " + t.dtype());
        }
    }

    @Override
    public void fill(Tensor out, double value) {
        if (!fit(out)) {
            bySlices(t -> fill(t[0], value), out);
            return;
        }
        CudaDevice d = context(out);
        LaunchArgs args = new LaunchArgs().ints(lay(out)).pointer(base(out));
        if (out.dtype() == DType.FLOAT32) {
            elementwise(d, "fill_f32", out.numel(), args.f32((float) value).i32(out.numel()));
        } else {
            elementwise(d, "fill_i64", out.numel(), args.i64((long) value).i32(out.numel()));
        }
    }

    /** Drawn in a kernel from the key alone: a mask costs one launch and no upload. */
    @Override
    public void bernoulli(Tensor out, long key, double p) {
        elementwise(context(out), "bernoulli_f", out.numel(), new LaunchArgs().pointer(first(out)).i64(key).f32((float) p).i32(out.numel()));
    }

    @Override
    public void copy(Tensor out, Tensor src) {
        if (!fit(out, src)) {
            bySlices(t -> copy(t[0], t[1]), out, src);
            return;
        }
        CudaDevice d = context(out);
        if (out.dtype() == src.dtype() && out.isContiguous() && src.isContiguous()) {
            d.runtime.copy(first(out), first(src), (long) out.numel() * CudaStorage.elementBytes(out.dtype()));
            return;
        }
        // Kernel names give the source type, then the output type: copy_fl converts float32 to int64.
        String kernel = "copy_" + letter(src.dtype()) + letter(out.dtype());
        elementwise(d, kernel, out.numel(), new LaunchArgs().ints(lay(out)).pointer(base(out)).ints(lay(src)).pointer(base(src))
                .i32(out.numel()));
    }

    private static char letter(DType t) {
        return switch (t) {
            case FLOAT32 -> 'f';
            case INT64 -> 'l';
        };
    }

    // ---- elementwise ---------------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, Tensor out, Tensor x, double alpha, double beta) {
        if (!fit(out, x)) {
            bySlices(t -> unary(op, t[0], t[1], alpha, beta), out, x);
            return;
        }
        CudaDevice d = context(out);
        int n = out.numel();
        int[] lo = lay(out);
        int[] lx = lay(x);
        LaunchArgs args = new LaunchArgs().i32(CudaOps.code(op)).ints(lo).pointer(base(out)).ints(lx).pointer(base(x));
        if (x.dtype() == DType.INT64) {
            if (!CudaOps.definedForInt64(op)) {
                args.close();
                throw new IllegalArgumentException("unary " + op + " is not defined for int64");
            }
            elementwise(d, "unary_ll", n, args.f64(alpha).f64(beta).i32(n));
        } else {
            mapped(d, "unary_ff", n, args.f32((float) alpha).f32((float) beta).i32(n), lo, lx);
        }
    }

    @Override
    public void binary(BinaryOp op, Tensor out, Tensor a, Tensor b) {
        if (!fit(out, a, b)) {
            bySlices(t -> binary(op, t[0], t[1], t[2]), out, a, b);
            return;
        }
        CudaDevice d = context(out);
        String kernel;
        if (a.dtype() == DType.FLOAT32) {
            kernel = "binary_fff";
        } else if (op.isComparison()) {
            kernel = "compare_llf";
        } else if (CudaOps.definedForInt64(op)) {
            kernel = "binary_lll";
        } else {
            throw new IllegalArgumentException("binary " + op + " is not defined for int64");
        }
        int n = out.numel();
        int[] lo = lay(out);
        int[] la = lay(a);
        int[] lb = lay(b);
        LaunchArgs args = new LaunchArgs().i32(CudaOps.code(op)).ints(lo).pointer(base(out)).ints(la).pointer(base(a)).ints(lb)
                .pointer(base(b)).i32(n);
        if (kernel.equals("binary_fff")) {
            mapped(d, kernel, n, args, lo, la, lb);
        } else {
            elementwise(d, kernel, n, args);
        }
    }

    /** As {@link #binary} with s as a kernel argument: no tensor to fill with it first. */
    @Override
    public void binaryScalar(BinaryOp op, Tensor out, Tensor a, double s) {
        if (!fit(out, a)) {
            bySlices(t -> binaryScalar(op, t[0], t[1], s), out, a);
            return;
        }
        CudaDevice d = context(out);
        int n = out.numel();
        int[] lo = lay(out);
        int[] la = lay(a);
        LaunchArgs args = new LaunchArgs().i32(CudaOps.code(op)).ints(lo).pointer(base(out)).ints(la).pointer(base(a));
        if (a.dtype() == DType.FLOAT32) {
            mapped(d, "binary_scalar_ff", n, args.f32((float) s).i32(n), lo, la);
        } else if (op.isComparison() || CudaOps.definedForInt64(op)) {
            elementwise(d, op.isComparison() ? "compare_scalar_lf" : "binary_scalar_ll", n, args.i64((long) s).i32(n));
        } else {
            args.close();
            throw new IllegalArgumentException("binary " + op + " is not defined for int64");
        }
    }

    @Override
    public void where(Tensor out, Tensor cond, Tensor a, Tensor b) {
        if (!fit(out, cond, a, b)) {
            bySlices(t -> where(t[0], t[1], t[2], t[3]), out, cond, a, b);
            return;
        }
        CudaDevice d = context(out);
        int n = out.numel();
        elementwise(d, out.dtype() == DType.FLOAT32 ? "where_f" : "where_l", n, new LaunchArgs().ints(lay(out)).pointer(base(out))
                .ints(lay(cond)).pointer(base(cond)).ints(lay(a)).pointer(base(a)).ints(lay(b)).pointer(base(b)).i32(n));
    }

    // ---- reductions ----------------------------------------------------------------------------

    /** x's layout restricted to the kept dims (reduced dims set to 1) or to the reduced ones (kept dims set to 1, offset 0). */
    private static int[] part(Tensor x, boolean[] reduced, boolean keepReduced) {
        return Strided.pack(partShape(x, reduced, keepReduced), x.strides(), keepReduced ? 0 : x.offset());
    }

    private static int[] partShape(Tensor x, boolean[] reduced, boolean keepReduced) {
        int[] shape = x.shape();
        for (int d = 0; d < shape.length; d++) {
            if (reduced[d] != keepReduced) {
                shape[d] = 1;
            }
        }
        return shape;
    }

    /** Whether both parts of x fit the kernels (see {@link Strided#fits}); at once, with no shapes made, for x of at most eight dims. */
    private static boolean partsFit(Tensor x, boolean[] reduced) {
        return x.dim() <= Strided.MAX_DIMS
                || Strided.fits(partShape(x, reduced, false), x.strides()) && Strided.fits(partShape(x, reduced, true), x.strides());
    }

    @Override
    public void reduce(ReduceOp op, Tensor out, Tensor x, int[] dims) {
        CudaDevice d = context(out);
        boolean[] reduced = new boolean[x.dim()];
        int nRed = 1;
        for (int dim : dims) {
            if (!reduced[dim]) {
                reduced[dim] = true;
                nRed *= x.size(dim);
            }
        }
        if (!partsFit(x, reduced)) {
            reduceGrouped(op, out, x, reduced, nRed);
            return;
        }
        String kernel;
        if (x.dtype() == DType.FLOAT32) {
            kernel = "reduce_f";
        } else if (op != ReduceOp.MEAN) {
            kernel = "reduce_l";
        } else {
            throw new IllegalArgumentException("reduce MEAN is not defined for int64");
        }
        int nOut = out.numel();
        int parts = x.dtype() == DType.FLOAT32 ? splitParts(nOut, nRed) : 1;
        if (parts > 1) {
            reduceSplit(d, op, out, x, reduced, nOut, nRed, parts);
            return;
        }
        perOutput(d, kernel, nOut, new LaunchArgs().i32(CudaOps.code(op)).ints(lay(out)).pointer(base(out)).ints(part(x, reduced, false))
                .ints(part(x, reduced, true)).pointer(base(x)).i32(nOut).i32(nRed));
    }

    /**
     * A reduction whose kept or reduced dims of x do not merge into the kernels' eight (alternate
     * dims of a 17-dim tensor, say, or a view whose dims no two of merge): runs on a contiguous
     * copy of x with its kept dims first and its reduced dims last, seen as (outputs, reduced
     * elements). The kept dims keep their order, so the outputs keep theirs.
     */
    private void reduceGrouped(ReduceOp op, Tensor out, Tensor x, boolean[] reduced, int nRed) {
        int[] order = new int[x.dim()];
        int k = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int dim = 0; dim < x.dim(); dim++) {
                if (reduced[dim] == (pass == 1)) {
                    order[k++] = dim;
                }
            }
        }
        try (var off = GradMode.off(); Tensor copy = x.permute(order).contiguous()) {
            reduce(op, out, copy.reshape(out.numel(), nRed), new int[] {1});
        }
    }

    /** Elements a block of a split reduction takes at the least: 16 per thread. */
    static final int SPLIT_MIN = 4096;
    /** Blocks a split reduction aims for, enough to fill a large GPU. */
    static final int SPLIT_BLOCKS = 1024;

    /**
     * How many blocks reduce each output: 1 (one block per output, reduce_f) unless the outputs
     * are too few to occupy a GPU and each is long, as in a convolution's bias gradient or batch
     * norm's per-channel statistics and gradient sums in a network's first stage. A
     * function of the sizes alone, so results never depend on the device.
     */
    static int splitParts(int nOut, int nRed) {
        if (nOut == 0 || nOut >= SPLIT_BLOCKS / 2) {
            return 1;
        }
        return Math.max(1, Math.min(nRed / SPLIT_MIN, SPLIT_BLOCKS / nOut));
    }

    private static void reduceSplit(CudaDevice d, ReduceOp op, Tensor out, Tensor x, boolean[] reduced, int nOut, int nRed, int parts) {
        withPartials(d, (long) nOut * parts, partial -> {
            perOutput(d, "reduce_part_f", nOut * parts, new LaunchArgs().i32(CudaOps.code(op)).ints(part(x, reduced, false))
                    .ints(part(x, reduced, true)).pointer(base(x)).pointer(partial).i32(nOut).i32(nRed).i32(parts));
            elementwise(d, "reduce_finish_f", nOut, new LaunchArgs().i32(CudaOps.code(op)).ints(lay(out)).pointer(base(out))
                    .pointer(partial).i32(nOut).i32(nRed).i32(parts));
        });
    }

    @Override
    public void argReduce(ReduceOp op, Tensor values, Tensor indices, Tensor x, int dim) {
        if (op != ReduceOp.MAX && op != ReduceOp.MIN) {
            throw new IllegalArgumentException("argReduce: " + op + " is not MAX or MIN");
        }
        CudaDevice d = context(values);
        boolean[] reduced = new boolean[x.dim()];
        reduced[dim] = true;
        if (onContiguousCopy(x, partsFit(x, reduced), c -> argReduce(op, values, indices, c, dim))) {
            return;
        }
        int nOut = values.numel();
        perOutput(d, x.dtype() == DType.FLOAT32 ? "arg_reduce_f" : "arg_reduce_l", nOut, new LaunchArgs().i32(CudaOps.code(op))
                .ints(lay(values)).pointer(base(values)).ints(lay(indices)).pointer(base(indices)).ints(part(x, reduced, false))
                .pointer(base(x)).i32(x.stride(dim)).i32(x.size(dim)).i32(nOut));
    }

    // ---- gather and scatter_add -------------------------------------------------------------

    @Override
    public void gather(Tensor out, Tensor x, int dim, Tensor index) {
        int[] shape = out.shape();
        int[] xs = x.strides();
        int step = xs[dim];
        xs[dim] = 0;
        if (!Strided.fits(shape, xs) || !fit(out, index)) {
            // More than eight dims that do not merge: the same walk over contiguous copies, which do.
            onContiguousCopies(c -> gather(out, c[0], dim, c[1]), x, index);
            return;
        }
        CudaDevice d = context(out);
        int n = out.numel();
        elementwise(d, out.dtype() == DType.FLOAT32 ? "gather_f" : "gather_l", n, new LaunchArgs().ints(lay(out)).pointer(base(out))
                .ints(Strided.pack(shape, xs, x.offset())).pointer(base(x)).i32(step).ints(lay(index)).pointer(base(index)).i32(n));
    }

    @Override
    public void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        int[] lines = src.shape();
        int len = lines[dim];
        lines[dim] = 1;
        if (!Strided.fits(lines, out.strides()) || !Strided.fits(lines, index.strides()) || !Strided.fits(lines, src.strides())) {
            // More than eight dims that do not merge: accumulate into a contiguous copy of out, then write it back.
            try (var off = GradMode.off(); Tensor sum = Tensor.empty(out.shape(), out.dtype(), out.device())) {
                copy(sum, out);
                onContiguousCopies(c -> scatterAdd(sum, dim, c[0], c[1]), index, src);
                copy(out, sum);
            }
            return;
        }
        CudaDevice d = context(out);
        int count = Shapes.numel(lines);
        elementwise(d, out.dtype() == DType.FLOAT32 ? "scatter_add_f" : "scatter_add_l", count, new LaunchArgs()
                .ints(Strided.pack(lines, out.strides(), out.offset())).pointer(base(out)).i32(out.stride(dim))
                .ints(Strided.pack(lines, index.strides(), index.offset())).pointer(base(index)).i32(index.stride(dim))
                .ints(Strided.pack(lines, src.strides(), src.offset())).pointer(base(src)).i32(src.stride(dim)).i32(len).i32(count));
    }

    @Override
    public void sort(Tensor values, Tensor indices, Tensor x, int dim, boolean descending) {
        boolean[] along = new boolean[x.dim()];
        along[dim] = true;
        if (onContiguousCopy(x, partsFit(x, along), c -> sort(values, indices, c, dim, descending))) {
            return;
        }
        requireContiguous("sort", values, indices);
        CudaDevice d = context(values);
        int len = x.size(dim);
        int lines = x.numel() / len;
        // The merge passes alternate between the outputs and scratch laid out alike.
        try (var off = GradMode.off(); Tensor tv = Tensor.empty(values.shape(), values.dtype(), values.device());
             Tensor ti = Tensor.empty(indices.shape(), DType.INT64, indices.device())) {
            elementwise(d, x.dtype() == DType.FLOAT32 ? "sort_f" : "sort_l", lines, new LaunchArgs().i32(descending ? 1 : 0)
                    .ints(part(x, along, false)).pointer(base(x)).i32(x.stride(dim))
                    .ints(Strided.pack(partShape(values, along, false), values.strides(), 0)).pointer(first(values))
                    .pointer(first(indices)).pointer(base(tv)).pointer(base(ti)).i32(values.stride(dim)).i32(len)
                    .i32(lines));
        }
    }

    @Override
    public void cumsum(Tensor out, Tensor x, int dim) {
        boolean[] along = new boolean[x.dim()];
        along[dim] = true;
        if (onContiguousCopy(x, partsFit(x, along), c -> cumsum(out, c, dim))) {
            return;
        }
        requireContiguous("cumsum", out);
        CudaDevice d = context(out);
        int len = x.size(dim);
        int lines = x.numel() / len;
        // One thread per line, summing in order: the CPU's bits, at the cost of parallelism along the line.
        elementwise(d, x.dtype() == DType.FLOAT32 ? "cumsum_f" : "cumsum_l", lines, new LaunchArgs()
                .ints(part(x, along, false)).pointer(base(x)).i32(x.stride(dim))
                .ints(Strided.pack(partShape(out, along, false), out.strides(), 0)).pointer(first(out)).i32(out.stride(dim)).i32(len)
                .i32(lines));
    }

    /** Runs op on contiguous copies of the operands (each operand itself where it is contiguous already). */
    private static void onContiguousCopies(Consumer<Tensor[]> op, Tensor... operands) {
        Tensor[] copies = new Tensor[operands.length];
        try (var off = GradMode.off()) {
            for (int i = 0; i < operands.length; i++) {
                copies[i] = operands[i].isContiguous() ? operands[i] : operands[i].contiguous();
            }
            op.accept(copies);
        } finally {
            for (int i = 0; i < operands.length; i++) {
                if (copies[i] != null && copies[i] != operands[i]) {
                    copies[i].close();
                }
            }
        }
    }

    @Override
    public void softmax(Tensor out, Tensor x, int dim, boolean log) {
        CudaDevice d = context(out);
        int len = x.size(dim);
        if (len == 0) {
            return;
        }
        boolean[] along = new boolean[x.dim()];
        along[dim] = true;
        if (onContiguousCopy(x, partsFit(x, along), c -> softmax(out, c, dim, log))) {
            return;
        }
        int rows = x.numel() / len;
        perOutput(d, "softmax_f", rows, new LaunchArgs().i32(log ? 1 : 0).ints(part(out, along, false)).pointer(base(out))
                .i32(out.stride(dim)).ints(part(x, along, false)).pointer(base(x)).i32(x.stride(dim)).i32(len).i32(rows));
    }

    @Override
    public boolean softmaxBackward(Tensor gradInput, Tensor gradOutput, Tensor out, int dim, boolean log) {
        CudaDevice d = context(gradInput);
        int len = out.size(dim);
        if (len == 0) {
            return true;
        }
        boolean[] along = new boolean[out.dim()];
        along[dim] = true;
        // out and gradInput are made by core, contiguous; the incoming gradient may be any view.
        if (onContiguousCopy(gradOutput, partsFit(gradOutput, along), c -> softmaxBackward(gradInput, c, out, dim, log))) {
            return true;
        }
        int rows = out.numel() / len;
        perOutput(d, "softmax_backward_f", rows, new LaunchArgs().i32(log ? 1 : 0).ints(part(gradInput, along, false))
                .pointer(base(gradInput)).i32(gradInput.stride(dim)).ints(part(gradOutput, along, false)).pointer(base(gradOutput))
                .i32(gradOutput.stride(dim)).ints(part(out, along, false)).pointer(base(out)).i32(out.stride(dim)).i32(len).i32(rows));
        return true;
    }

    // ---- matrix product ------------------------------------------------------------------------

    @Override
    public void matmul(Tensor out, Tensor a, Tensor b) {
        CudaDevice d = context(out);
        new CudaMatmul(d, this).run(out, a, b);
    }

    /** A contiguous float32 copy of t in a temporary block (freed by the caller). */
    CachingAllocator.Block gather(CudaDevice d, Tensor t) {
        CachingAllocator.Block tmp = d.allocator.allocate((long) t.numel() * Float.BYTES);
        gatherTo(d, t, tmp.address());
        return tmp;
    }

    /**
     * Copies t's elements in row-major order to the device memory at dst; a leading slice at a
     * time where t's dims do not merge into the kernels' eight.
     */
    private static void gatherTo(CudaDevice d, Tensor t, long dst) {
        if (t.numel() == 0) {
            return;
        }
        if (!fit(t)) {
            long sliceBytes = (long) (t.numel() / t.size(0)) * CudaStorage.elementBytes(t.dtype());
            try (var off = GradMode.off()) {
                for (int i = 0; i < t.size(0); i++) {
                    gatherTo(d, t.select(0, i), dst + i * sliceBytes);
                }
            }
            return;
        }
        elementwise(d, t.dtype() == DType.FLOAT32 ? "copy_ff" : "copy_ll", t.numel(), new LaunchArgs().ints(contiguousLay(t.shape()))
                .pointer(dst).ints(lay(t)).pointer(base(t)).i32(t.numel()));
    }

    long firstAddress(Tensor t) {
        return first(t);
    }

    // ---- convolution (cuDNN) -------------------------------------------------------------------
    // Core never passes an empty convolution (Convolution.raw gives the empty result itself).

    private static ConvShape shape(int[] xs, int[] ws, int[] os, Conv2dParams p) {
        return new ConvShape(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], p.padH(), p.padW(), p.strideH(), p.strideW(), p.dilationH(),
                p.dilationW(), p.groups(), os[2], os[3]);
    }

    @Override
    public void conv2d(Tensor out, Tensor x, Tensor w, Conv2dParams p) {
        requireContiguous("conv2d", out, x, w);
        CudaDevice d = context(out);
        d.runtime.convForward(shape(x.shape(), w.shape(), out.shape(), p), first(x), first(w), first(out), d);
    }

    @Override
    public void conv2dBackwardInput(Tensor gradInput, Tensor gradOut, Tensor w, Conv2dParams p) {
        requireContiguous("conv2dBackwardInput", gradInput, gradOut, w);
        CudaDevice d = context(gradInput);
        d.runtime.convBackwardData(shape(gradInput.shape(), w.shape(), gradOut.shape(), p), first(gradOut), first(w), first(gradInput), d);
    }

    @Override
    public void conv2dBackwardWeight(Tensor gradWeight, Tensor gradOut, Tensor x, Conv2dParams p) {
        requireContiguous("conv2dBackwardWeight", gradWeight, gradOut, x);
        CudaDevice d = context(gradWeight);
        d.runtime.convBackwardFilter(shape(x.shape(), gradWeight.shape(), gradOut.shape(), p), first(x), first(gradOut), first(gradWeight), d);
    }

    // ---- pooling -------------------------------------------------------------------------------

    /** The kernels' Pool struct: {h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, countIncludePad}, then w, h, ow and oh as Divisors. */
    static int[] pool(int h, int w, int oh, int ow, Pool2dParams p) {
        int[] sizes = {h, w, oh, ow, p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW(),
                p.countIncludePad() ? 1 : 0};
        int[] packed = java.util.Arrays.copyOf(sizes, sizes.length + 12);
        int at = sizes.length;
        for (int size : new int[] {w, h, ow, oh}) {
            System.arraycopy(divisor(size), 0, packed, at, 3);
            at += 3;
        }
        return packed;
    }

    /** A size as the kernels' Divisor struct; zeros for an empty size, which no kernel divides by. */
    private static int[] divisor(int size) {
        return size > 0 ? FastDivisor.of(size).packed() : new int[3];
    }

    @Override
    public void maxPool2d(Tensor out, Tensor indices, Tensor x, Pool2dParams p) {
        requireContiguous("maxPool2d", out, indices, x);
        CudaDevice d = context(out);
        int n = out.numel();
        elementwise(d, "max_pool_f", n, new LaunchArgs().ints(pool(x.size(2), x.size(3), out.size(2), out.size(3), p)).pointer(first(x))
                .pointer(first(out)).pointer(first(indices)).i32(n));
    }

    @Override
    public void maxPool2dBackward(Tensor gradInput, Tensor gradOut, Tensor indices, Pool2dParams p) {
        requireContiguous("maxPool2dBackward", gradInput, gradOut, indices);
        maxPoolBackward(gradInput, gradOut, indices, p, 0);
    }

    /** Keeps only the outputs where pooled is not at most 0: no second pass over gradInput for ReLU's backward. */
    @Override
    public void maxPool2dBackwardThroughRelu(Tensor gradInput, Tensor gradOut, Tensor indices, Pool2dParams p, Tensor pooled,
                                             Tensor reluOut) {
        requireContiguous("maxPool2dBackwardThroughRelu", gradInput, gradOut, indices, pooled);
        maxPoolBackward(gradInput, gradOut, indices, p, first(pooled));
    }

    private void maxPoolBackward(Tensor gradInput, Tensor gradOut, Tensor indices, Pool2dParams p, long pooled) {
        CudaDevice d = context(gradInput);
        int n = gradInput.numel();
        elementwise(d, "max_pool_backward_f", n, new LaunchArgs().ints(pool(gradInput.size(2), gradInput.size(3), gradOut.size(2), gradOut.size(3), p))
                .pointer(first(gradOut)).pointer(first(indices)).pointer(pooled).pointer(first(gradInput)).i32(n));
    }

    @Override
    public void avgPool2d(Tensor out, Tensor x, Pool2dParams p) {
        requireContiguous("avgPool2d", out, x);
        CudaDevice d = context(out);
        int n = out.numel();
        elementwise(d, "avg_pool_f", n, new LaunchArgs().ints(pool(x.size(2), x.size(3), out.size(2), out.size(3), p)).pointer(first(x))
                .pointer(first(out)).i32(n));
    }

    @Override
    public void avgPool2dBackward(Tensor gradInput, Tensor gradOut, Pool2dParams p) {
        requireContiguous("avgPool2dBackward", gradInput, gradOut);
        CudaDevice d = context(gradInput);
        int n = gradInput.numel();
        elementwise(d, "avg_pool_backward_f", n, new LaunchArgs().ints(pool(gradInput.size(2), gradInput.size(3), gradOut.size(2),
                gradOut.size(3), p)).pointer(first(gradOut)).pointer(first(gradInput)).i32(n));
    }

    // ---- batch normalisation -------------------------------------------------------------------

    /** {n, c, m} of a contiguous (N, C, ...) tensor: batch, channels, positions per channel. */
    private static int[] ncm(Tensor x) {
        int n = x.size(0);
        int c = x.size(1);
        return new int[] {n, c, n * c == 0 ? 0 : x.numel() / (n * c)};
    }

    @Override
    public void batchNormStats(Tensor mean, Tensor var, Tensor x) {
        requireContiguous("batchNormStats", mean, var, x);
        batchStatistics(context(x), x, first(mean), first(var), 0, 0, 0, 0, 0, 0, 0);
    }

    /** The statistics kernels finish each channel themselves, so updating the running statistics takes no launch of its own. */
    @Override
    public boolean batchNormStatsAndUpdate(Tensor mean, Tensor invstd, Tensor runningMean, Tensor runningVar, Tensor x, double eps,
                                           double momentum, double unbias) {
        requireContiguous("batchNormStatsAndUpdate", mean, invstd, runningMean, runningVar, x);
        // The scalars exactly as batchNormUpdateStats passes them.
        batchStatistics(context(x), x, first(mean), 0, first(invstd), optional(runningMean), optional(runningVar), (float) eps,
                (float) (1 - momentum), (float) momentum, (float) unbias);
        return true;
    }

    /**
     * Each channel's mean and biased variance, or (invstd given) its mean, invstd and running
     * statistics: bn_stats_f with a block per channel, or, where splitParts says the channels are
     * too few and long for that, bn_stats_part_f over slices of each and bn_stats_finish_f.
     */
    private static void batchStatistics(CudaDevice d, Tensor x, long mean, long var, long invstd, long runningMean, long runningVar,
                                        float eps, float keep, float momentum, float unbias) {
        int[] s = ncm(x);
        int parts = splitParts(s[1], s[0] * s[2]);
        if (parts == 1) {
            perOutput(d, "bn_stats_f", s[1], new LaunchArgs().pointer(first(x)).pointer(mean).pointer(var).pointer(invstd)
                    .pointer(runningMean).pointer(runningVar).f32(eps).f32(keep).f32(momentum).f32(unbias).i32(s[0]).i32(s[1]).i32(s[2]));
            return;
        }
        withPartials(d, 2L * s[1] * parts, partial -> {
            perOutput(d, "bn_stats_part_f", s[1] * parts, new LaunchArgs().pointer(first(x)).pointer(partial).i32(s[0]).i32(s[1]).i32(s[2])
                    .i32(parts));
            elementwise(d, "bn_stats_finish_f", s[1], new LaunchArgs().pointer(partial).pointer(mean).pointer(var).pointer(invstd)
                    .pointer(runningMean).pointer(runningVar).f32(eps).f32(keep).f32(momentum).f32(unbias).i32(s[0]).i32(s[1]).i32(s[2])
                    .i32(parts));
        });
    }

    @Override
    public void batchNormApply(Tensor out, Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor bias) {
        requireContiguous("batchNormApply", out, x, mean, invstd, weight, bias);
        CudaDevice d = context(x);
        int[] s = ncm(x);
        int n = x.numel();
        dense(d, "bn_apply_f", n, new LaunchArgs().pointer(first(out)).pointer(first(x)).pointer(first(mean)).pointer(first(invstd))
                .pointer(optional(weight)).pointer(optional(bias)).ints(divisor(s[1])).ints(divisor(s[2]))
                .i32(n));
    }

    @Override
    public void batchNormBackward(Tensor gradInput, Tensor gradWeight, Tensor gradBias, Tensor gradOut, Tensor x, Tensor mean,
                                  Tensor invstd, Tensor weight, boolean batchStats) {
        requireContiguous("batchNormBackward", gradInput, gradWeight, gradBias, gradOut, x, mean, invstd, weight);
        CudaDevice d = context(x);
        int[] s = ncm(x);
        if (s[1] == 0) {
            return;
        }
        CachingAllocator.Block sums = d.allocator.allocate(2L * s[1] * Float.BYTES);
        try {
            long sumDy = sums.address();
            long sumDyXhat = sums.address() + (long) s[1] * Float.BYTES;
            gradientSums(d, s, gradOut, x, mean, invstd, sumDy, sumDyXhat, optional(gradWeight), optional(gradBias));
            if (gradInput != null) {
                int n = x.numel();
                dense(d, "bn_backward_input_f", n, new LaunchArgs().pointer(first(gradInput)).pointer(first(gradOut)).pointer(first(x))
                        .pointer(first(mean)).pointer(first(invstd)).pointer(optional(weight)).pointer(sumDy).pointer(sumDyXhat)
                        .i32(batchStats ? 1 : 0).ints(divisor(s[1])).ints(divisor(s[2])).i32(n)
                        .f32((float) s[0] * s[2]));
            }
        } finally {
            d.allocator.free(sums, false);
        }
    }

    /** sum(dy) and sum(dy * xhat) of each channel of x ({n, c, m} in s), split over more blocks as {@link #batchStatistics} is. */
    private static void gradientSums(CudaDevice d, int[] s, Tensor gradOut, Tensor x, Tensor mean, Tensor invstd, long sumDy,
                                     long sumDyXhat, long gradWeight, long gradBias) {
        int parts = splitParts(s[1], s[0] * s[2]);
        if (parts == 1) {
            perOutput(d, "bn_backward_sums_f", s[1], new LaunchArgs().pointer(first(gradOut)).pointer(first(x)).pointer(first(mean))
                    .pointer(first(invstd)).pointer(sumDy).pointer(sumDyXhat).pointer(gradWeight).pointer(gradBias).i32(s[0]).i32(s[1])
                    .i32(s[2]));
            return;
        }
        withPartials(d, 2L * s[1] * parts, partial -> {
            perOutput(d, "bn_backward_sums_part_f", s[1] * parts, new LaunchArgs().pointer(first(gradOut)).pointer(first(x))
                    .pointer(first(mean)).pointer(first(invstd)).pointer(partial).i32(s[0]).i32(s[1]).i32(s[2]).i32(parts));
            elementwise(d, "bn_backward_sums_finish_f", s[1], new LaunchArgs().pointer(partial).pointer(sumDy).pointer(sumDyXhat)
                    .pointer(gradWeight).pointer(gradBias).i32(s[1]).i32(parts));
        });
    }

    // ---- optimizer steps --------------------------------------------------------------------------

    @Override
    public boolean batchNormUpdateStats(Tensor invstd, Tensor runningMean, Tensor runningVar, Tensor mean, Tensor var, double eps,
                                        double momentum, double unbias) {
        requireContiguous("batchNormUpdateStats", invstd, mean, var);
        if (runningMean != null) {
            requireContiguous("batchNormUpdateStats", runningMean, runningVar);
        }
        CudaDevice d = context(invstd);
        int c = invstd.numel();
        // The scalars exactly as the elementwise ops make them: each double rounded once to float32.
        elementwise(d, "bn_update_stats_f", c, new LaunchArgs().pointer(first(invstd)).pointer(optional(runningMean))
                .pointer(optional(runningVar)).pointer(first(mean)).pointer(first(var)).f32((float) eps).f32((float) (1 - momentum))
                .f32((float) momentum).f32((float) unbias).i32(c));
        return true;
    }

    @Override
    public boolean nllLoss(Tensor loss, Tensor rowWeight, Tensor logp, Tensor target, Tensor weight, long ignoreIndex) {
        requireContiguous("nllLoss", loss, rowWeight, logp, target);
        if (weight != null) {
            requireContiguous("nllLoss", weight);
        }
        CudaDevice d = context(logp);
        int n = logp.size(0);
        elementwise(d, "nll_f", n, new LaunchArgs().pointer(first(loss)).pointer(first(rowWeight)).pointer(first(logp)).pointer(first(target))
                .pointer(optional(weight)).i64(ignoreIndex).i32(n).i32(logp.size(1)));
        return true;
    }

    @Override
    public boolean nllLossBackward(Tensor gradLogp, Tensor gradLoss, Tensor target, Tensor weight, long ignoreIndex) {
        requireContiguous("nllLossBackward", gradLogp, target);
        if (weight != null) {
            requireContiguous("nllLossBackward", weight);
        }
        CudaDevice d = context(gradLogp);
        int n = gradLogp.size(0);
        int c = gradLogp.size(1);
        elementwise(d, "nll_backward_f", n * c, new LaunchArgs().pointer(first(gradLogp)).pointer(base(gradLoss))
                .i32(gradLoss.offset()).i32(gradLoss.strides()[0]).pointer(first(target)).pointer(optional(weight)).i64(ignoreIndex).i32(n)
                .i32(c));
        return true;
    }

    @Override
    public boolean sgdMomentumStep(Tensor param, Tensor grad, Tensor buf, double lr, double momentum, double dampening,
                                   double weightDecay, boolean nesterov) {
        CudaDevice d = context(param);
        int n = param.numel();
        elementwise(d, "sgd_momentum_f", n, new LaunchArgs().pointer(first(param)).pointer(first(grad)).pointer(first(buf)).f32((float) -lr)
                .f32((float) momentum).f32((float) (1 - dampening)).f32((float) weightDecay).i32(weightDecay != 0 ? 1 : 0)
                .i32(nesterov ? 1 : 0).i32(n));
        return true;
    }

    /** Tensors per launch of the multi-tensor SGD kernel: the size of its address arrays (MULTI in kernels.cu). */
    private static final int MULTI = 32;

    /**
     * Up to 32 parameters per launch ({@link #group}), as PyTorch's foreach kernels do: the
     * addresses and the running element offsets go in as kernel arguments (about 900 bytes of the
     * 4 KB allowed).
     */
    @Override
    public boolean sgdMomentumSteps(List<Tensor> params, List<Tensor> grads, List<Tensor> bufs, double lr, double momentum,
                                    double dampening, double weightDecay, boolean nesterov) {
        for (int from = 0, count; from < params.size(); from += count) {
            count = group(params, from);
            int[] start = starts(params, from, count);
            elementwise(context(params.get(from)), "sgd_momentum_multi_f", start[MULTI], new LaunchArgs().longs(addresses(params, from, count))
                    .longs(addresses(grads, from, count)).longs(addresses(bufs, from, count)).ints(start).i32(count).f32((float) -lr)
                    .f32((float) momentum).f32((float) (1 - dampening)).f32((float) weightDecay).i32(weightDecay != 0 ? 1 : 0)
                    .i32(nesterov ? 1 : 0).i32(start[MULTI]));
        }
        return true;
    }

    /**
     * How many parameters from {@code from} on one multi-tensor launch takes: up to {@link #MULTI},
     * and no more than keep its element count below 2^31 (the kernels index it with an int).
     */
    static int group(List<Tensor> params, int from) {
        long total = 0;
        int count = 0;
        while (count < MULTI && from + count < params.size()) {
            total += params.get(from + count).numel();
            if (total > Integer.MAX_VALUE && count > 0) {
                break;
            }
            count++;
        }
        return count;
    }

    /**
     * The first element of each of params[from, from + count) within one multi-tensor launch,
     * padded with the total (at index MULTI) for the unused slots.
     */
    private static int[] starts(List<Tensor> params, int from, int count) {
        int[] start = new int[MULTI + 1];
        int total = 0;
        for (int i = 0; i < count; i++) {
            start[i] = total;
            total += params.get(from + i).numel();
        }
        java.util.Arrays.fill(start, count, MULTI + 1, total);
        return start;
    }

    /** Device addresses of tensors[from, from + count), 0 for the unused slots or where tensors is null. */
    private static long[] addresses(List<Tensor> tensors, int from, int count) {
        long[] a = new long[MULTI];
        for (int i = 0; tensors != null && i < count; i++) {
            a[i] = first(tensors.get(from + i));
        }
        return a;
    }

    @Override
    public boolean adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, double lr, double beta1,
                            double beta2, double eps, double weightDecay, boolean decoupled, double step) {
        CudaDevice d = context(param);
        int n = param.numel();
        // The scalars exactly as Adam's elementwise ops make them: each double rounded once to float32.
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        int decayMode = weightDecay == 0 ? 0 : decoupled ? 2 : 1;
        elementwise(d, "adam_f", n, new LaunchArgs().pointer(first(param)).pointer(first(grad)).pointer(first(expAvg)).pointer(first(expAvgSq))
                .pointer(optional(maxExpAvgSq)).i32(decayMode).f32((float) weightDecay).f32((float) (1 - lr * weightDecay)).f32((float) beta1)
                .f32((float) (1 - beta1)).f32((float) beta2).f32((float) (1 - beta2)).f32((float) Math.sqrt(bc2)).f32((float) eps)
                .f32((float) (-lr / bc1)).i32(n));
        return true;
    }

    /** As {@link #sgdMomentumSteps}: up to 32 parameters per launch, each with its own bias corrections. */
    @Override
    public boolean adamSteps(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expAvgSqs, List<Tensor> maxExpAvgSqs,
                             double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled, double[] steps) {
        int decayMode = weightDecay == 0 ? 0 : decoupled ? 2 : 1;
        for (int from = 0, count; from < params.size(); from += count) {
            count = group(params, from);
            int[] start = starts(params, from, count);
            float[] sqrtBc2 = new float[MULTI];
            float[] negStep = new float[MULTI];
            for (int i = 0; i < count; i++) {
                // The scalars exactly as adamStep makes them.
                sqrtBc2[i] = (float) Math.sqrt(1 - Math.pow(beta2, steps[from + i]));
                negStep[i] = (float) (-lr / (1 - Math.pow(beta1, steps[from + i])));
            }
            elementwise(context(params.get(from)), "adam_multi_f", start[MULTI], new LaunchArgs().longs(addresses(params, from, count))
                    .longs(addresses(grads, from, count)).longs(addresses(expAvgs, from, count)).longs(addresses(expAvgSqs, from, count))
                    .longs(addresses(maxExpAvgSqs, from, count)).ints(start).floats(sqrtBc2).floats(negStep).i32(count).i32(decayMode)
                    .f32((float) weightDecay).f32((float) (1 - lr * weightDecay)).f32((float) beta1).f32((float) (1 - beta1))
                    .f32((float) beta2).f32((float) (1 - beta2)).f32((float) eps).i32(start[MULTI]));
        }
        return true;
    }

    // ---- device-wide operations for the public facade -----------------------------------------

    /** The calls timed on a device since the last report, most time first (see {@link ProfilingRuntime}). */
    List<Cuda.KernelTime> profile(int index) {
        if (!(context(new Device(type, index)).runtime instanceof ProfilingRuntime p)) {
            throw new IllegalStateException("cuda profile: " + type + ":" + index + " is not being profiled; start the JVM with "
                    + "-Dcortado.cuda.profile=true (or --profile where a command has it)");
        }
        return p.report();
    }

    MemoryStats stats(int index) {
        return context(new Device(type, index)).allocator.stats();
    }

    void emptyCache(int index) {
        context(new Device(type, index)).allocator.emptyCache();
    }

    void resetPeak(int index) {
        context(new Device(type, index)).allocator.resetPeak();
    }

    void synchronize(int index) {
        context(new Device(type, index)).runtime.synchronize();
    }

    synchronized void setTf32(boolean on) {
        CudaSettings.setTf32(on);
        eachStartedDevice(r -> r.setTf32(on));
    }

    synchronized void setDeterministic(boolean on) {
        CudaSettings.setDeterministic(on);
        eachStartedDevice(r -> r.setDeterministic(on));
    }

    /** Applies a switch to the devices already started, each current while it does; the others read CudaSettings when they start. */
    private void eachStartedDevice(Consumer<DeviceRuntime> change) {
        for (CudaDevice d : devices) {
            if (d != null) {
                d.bind();
                change.accept(d.runtime);
            }
        }
    }

    dev.cortado.cuda.driver.Gpu.Info info(int index) {
        return context(new Device(type, index)).runtime.info();
    }
}
