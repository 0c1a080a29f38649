package dev.cortado.tensor;

import dev.cortado.autograd.Engine;
import dev.cortado.autograd.GradMode;
import dev.cortado.autograd.Node;
import dev.cortado.autograd.RemovableHandle;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.ReduceOp;
import dev.cortado.backend.Storage;
import dev.cortado.backend.UnaryOp;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An n-dimensional array of float32 or int64 on a {@link Device}, with autograd.
 * A tensor is a view: shape, strides and offset over a {@link Storage} that views share.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(3, 2).requiresGrad_(true);
 * Tensor loss = Tensor.ones(4, 3).matmul(w).relu().sum();
 * loss.backward();
 * System.out.println(w.grad());
 * }</pre>
 */
public final class Tensor implements AutoCloseable {
    // Not final only so that set_ can re-point a parameter at new data (Module.to(device)).
    Storage storage;
    int[] shape;
    int[] strides;
    int offset;

    boolean requiresGrad;
    Tensor grad;
    /** Whether {@link #grad} was made by backward (so dropping it may free it) rather than given by setGrad. */
    boolean ownsGrad;
    Node gradFn;
    private AccumulateGrad accumulator;
    /** Whether backward keeps this non-leaf's gradient in {@link #grad} ({@link #retainGrad}). */
    private boolean retainsGrad;
    /** Shared with every view of the same data; in-place writes bump it. */
    final VersionCounter version;
    /** For a view made by a view op, the tensor whose data it shows (PyTorch's {@code _base}, never itself a view); else null. */
    Tensor viewBase;
    /** Whether the view was made with grad mode on: only such a view follows its base's graph (PyTorch refuses to update the others). */
    boolean viewTracksGraph;
    /** The data's {@link VersionCounter#graphEpoch} that this view's node was made for. */
    int viewEpoch;

    /** A tensor with a version count of its own: over new storage, or a copy's. */
    Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this(storage, shape, strides, offset, new VersionCounter());
    }

    /** A view, sharing {@code version} with the tensor whose data it shows. */
    Tensor(Storage storage, int[] shape, int[] strides, int offset, VersionCounter version) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.version = version;
    }

    // ---- metadata -------------------------------------------------------------------------

    /** A copy of the sizes. */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of one dimension; negative dims count from the end. */
    public int size(int dim) {
        noDims("size", dim);
        return shape[Shapes.dim("size", dim, shape.length)];
    }

    /** PyTorch's refusal: a 0-dim tensor has no dim to ask about, although dim 0 or -1 names it in reductions. */
    private void noDims(String op, int dim) {
        if (shape.length == 0) {
            throw new IndexOutOfBoundsException(op + ": dimension specified as " + dim + " but tensor has no dimensions");
        }
    }

    /** A copy of the strides, in elements. */
    public int[] strides() {
        return strides.clone();
    }

    public int stride(int dim) {
        noDims("stride", dim);
        return strides[Shapes.dim("stride", dim, shape.length)];
    }

    /** Offset of element (0, ..., 0) in the storage, in elements. */
    public int offset() {
        return offset;
    }

    /**
     * How many in-place writes this tensor's data has had, counted across its views, as
     * PyTorch's {@code _version}. A backward pass refuses to read a tensor it saved whose
     * version has changed since.
     */
    public int version() {
        return version.value();
    }

    public int dim() {
        return shape.length;
    }

    public int numel() {
        return Shapes.numel(shape);
    }

    public DType dtype() {
        return storage.dtype();
    }

    public Device device() {
        return storage.device();
    }

    /** The storage this view reads; meant for backends. */
    public Storage storage() {
        return storage;
    }

    public boolean isContiguous() {
        return Shapes.isContiguous(shape, strides);
    }

    // ---- autograd -------------------------------------------------------------------------

    public boolean requiresGrad() {
        syncView();
        return requiresGrad;
    }

    /** Marks a leaf as needing a gradient (in place, like PyTorch's {@code requires_grad_}). */
    public Tensor requiresGrad_(boolean flag) {
        if (gradFn != null) {
            throw new IllegalStateException("requiresGrad_: only leaf tensors can change requiresGrad; this one comes from "
                    + gradFn.name() + " (use detach() first)");
        }
        if (flag && !dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("requiresGrad_: only floating point tensors can require gradients, this one is " + dtype());
        }
        requiresGrad = flag;
        if (flag) {
            // A leaf that learns (a parameter) outlives any MemoryScope it was made in.
            MemoryScope.keep(this);
        }
        return this;
    }

    /** Accumulated gradient of a leaf, or of a non-leaf after {@link #retainGrad}; else null. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces (or clears, with null) the accumulated gradient. */
    public void setGrad(Tensor g) {
        if (g != null && !java.util.Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Shapes.str(g.shape) + " differs from tensor shape " + Shapes.str(shape));
        }
        if (g != null && g.dtype() != dtype()) {
            throw new IllegalArgumentException("setGrad: assigned grad has data of a different type (" + g.dtype() + ") than the tensor ("
                    + dtype() + ")");
        }
        if (g != null && !g.device().equals(device())) {
            throw new IllegalArgumentException("setGrad: assigned grad is on " + g.device() + ", the tensor on " + device());
        }
        grad = g;
        ownsGrad = false;
    }

    /** The node that created this tensor, or null for leaves. */
    public Node gradFn() {
        syncView();
        return gradFn;
    }

    public boolean isLeaf() {
        syncView();
        return gradFn == null;
    }

    /**
     * Re-derives a view's node from its base's once a recorded in-place update has given the
     * base's data a new one ({@link ViewGradients#asStrided}): the node the view was made with
     * would send its gradient to the base's old values.
     */
    void syncView() {
        if (viewBase != null && viewTracksGraph && viewEpoch != version.graphEpoch()) {
            viewEpoch = version.graphEpoch();
            if (viewBase.requiresGrad) {
                replaceGradFn(ViewGradients.asStrided(viewBase, this));
                requiresGrad = true;
            }
        }
    }

    /** A view on the same storage, cut out of the graph. */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset, version);
    }

    /** Back-propagates from a single-element tensor. */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward: grad can be implicitly created only for scalar outputs, this tensor has shape "
                    + Shapes.str(shape) + "; pass a gradient of that shape");
        }
        backward(Creation.onesLike(this), false);
    }

    /** Back-propagates {@code gradient} (same shape as this), as {@code y.backward(gradient)}. */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    /** Back-propagates {@code gradient} (same shape as this); keeps the graph when {@code retainGraph}. */
    public void backward(Tensor gradient, boolean retainGraph) {
        backward(gradient, retainGraph, false);
    }

    /**
     * As {@link #backward(Tensor, boolean)}; with {@code createGraph} the gradients accumulated
     * into each leaf's {@code grad} carry their own graph (PyTorch's {@code create_graph=True}), so
     * that, say, {@code x.grad().mul(v).sum().backward()} gives a Hessian-vector product.
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        syncView();
        if (!requiresGrad) {
            throw new IllegalStateException("backward: tensor does not require grad and does not have a grad_fn");
        }
        if (!java.util.Arrays.equals(gradient.shape, shape)) {
            throw new IllegalArgumentException("backward: gradient shape " + Shapes.str(gradient.shape)
                    + " differs from tensor shape " + Shapes.str(shape));
        }
        Node edge = gradientEdge();
        Tensor seed = createGraph ? gradient : gradient.detach();
        BackwardPass.run(() -> Engine.backward(edge, seed, retainGraph, createGraph));
    }

    /**
     * Where a gradient for this tensor goes: its node, the accumulator of a leaf that requires
     * grad, or null (PyTorch's {@code torch.autograd.graph.get_gradient_edge}).
     */
    public Node gradientEdge() {
        syncView();
        if (gradFn != null) {
            return gradFn;
        }
        if (!requiresGrad) {
            return null;
        }
        if (accumulator == null) {
            accumulator = new AccumulateGrad(this);
        }
        return accumulator;
    }

    /**
     * Makes backward keep this non-leaf tensor's gradient in {@link #grad()}, summed over backward
     * passes, as PyTorch's {@code retain_grad()}; a leaf keeps its gradient anyway. The gradient
     * kept is the one after every {@link #registerHook hook}, whenever they were registered (as
     * in PyTorch 2; 1.13 ran them in registration order). An in-place update of the tensor moves
     * this to its new value, as in PyTorch.
     */
    public Tensor retainGrad() {
        syncView();
        if (!requiresGrad) {
            throw new IllegalStateException("retainGrad: can't retain the gradient of a tensor that does not require grad");
        }
        if (gradFn != null && !retainsGrad) {
            retainsGrad = true;
            gradFn.retainsGradHook(this::retainGradient);
        }
        return this;
    }

    /** Whether this non-leaf tensor keeps its gradient ({@link #retainGrad}); false for leaves, as in PyTorch. */
    public boolean retainsGrad() {
        return retainsGrad;
    }

    private void retainGradient(Tensor g) {
        if (grad == null) {
            grad = ViewOps.clone(g);
        } else {
            grad = grad.add(g);
        }
        ownsGrad = true;
    }

    /**
     * Registers a hook that sees this tensor's gradient each time backward computes it, as
     * PyTorch's {@code register_hook}: a non-null return value replaces the gradient (same shape,
     * dtype and device). For a leaf it runs before the gradient is added to {@link #grad()}. A
     * later in-place update gives the tensor a new node; the hook stays with the old value.
     */
    public RemovableHandle registerHook(UnaryOperator<Tensor> hook) {
        syncView();
        if (!requiresGrad) {
            throw new IllegalStateException("registerHook: cannot register a hook on a tensor that doesn't require gradient");
        }
        return gradientEdge().registerPrehook(hook);
    }

    /** Gives this tensor a new node (an in-place update, a re-derived view); a retained gradient follows it. */
    void replaceGradFn(Node fn) {
        if (retainsGrad && gradFn != null) {
            gradFn.retainsGradHook(null);
        }
        gradFn = fn;
        if (retainsGrad && fn != null) {
            fn.retainsGradHook(this::retainGradient);
        }
    }

    /**
     * Clears the gradient, like {@code tensor.grad = None}. A gradient that backward made is handed
     * to the innermost open {@link MemoryScope}, so on a device its memory comes back when that
     * scope (typically the training step) closes.
     */
    public void zeroGrad() {
        if (grad != null && ownsGrad) {
            MemoryScope.track(grad.storage);
        }
        grad = null;
        ownsGrad = false;
    }

    /**
     * Releases this tensor's storage now (device memory goes back to its allocator, a large CPU
     * array to the pool it is reused from) instead of when it becomes garbage. Every view of the
     * same storage becomes unusable. Use a {@link MemoryScope} to release everything a block of
     * code made.
     */
    @Override
    public void close() {
        storage.release();
    }

    // ---- creation (see Creation for the full set) -----------------------------------------

    public static Tensor zeros(int... shape) {
        return Creation.full(shape, 0, DType.FLOAT32, Cortado.defaultDevice());
    }

    public static Tensor zeros(int[] shape, DType dtype, Device device) {
        return Creation.full(shape, 0, dtype, device);
    }

    /** Uninitialised memory of this shape, like {@code torch.empty}: for a tensor about to be overwritten. */
    public static Tensor empty(int[] shape, DType dtype, Device device) {
        return Kernels.empty(shape, dtype, device);
    }

    public static Tensor ones(int... shape) {
        return Creation.full(shape, 1, DType.FLOAT32, Cortado.defaultDevice());
    }

    public static Tensor ones(int[] shape, DType dtype, Device device) {
        return Creation.full(shape, 1, dtype, device);
    }

    public static Tensor full(int[] shape, double value) {
        return Creation.full(shape, value, DType.FLOAT32, Cortado.defaultDevice());
    }

    public static Tensor full(int[] shape, double value, DType dtype, Device device) {
        return Creation.full(shape, value, dtype, device);
    }

    /** A 0-dimensional float32 tensor. */
    public static Tensor scalar(double value) {
        return Creation.full(new int[0], value, DType.FLOAT32, Cortado.defaultDevice());
    }

    /** int64 values 0, 1, ..., end-1, like {@code torch.arange(end)}. */
    public static Tensor arange(int end) {
        return Creation.arange(0, end, 1);
    }

    /** int64 values start, start+step, ... below end. */
    public static Tensor arange(int start, int end, int step) {
        return Creation.arange(start, end, step);
    }

    /** float32 values start, start+step, ... below end. */
    public static Tensor arange(double start, double end, double step) {
        return Creation.arange(start, end, step);
    }

    /** steps evenly spaced float32 values from start to end inclusive, like {@code torch.linspace}. */
    public static Tensor linspace(double start, double end, int steps) {
        return Creation.linspace(start, end, steps);
    }

    public static Tensor eye(int n) {
        return Creation.eye(n, n);
    }

    public static Tensor eye(int rows, int cols) {
        return Creation.eye(rows, cols);
    }

    /**
     * From a (nested) Java array of float, double, int or long of any rank, like {@code torch.tensor}:
     * float and double give float32, int and long give int64.
     */
    public static Tensor tensor(Object data) {
        return Creation.fromNested(data, Cortado.defaultDevice());
    }

    /** A 1-d float32 tensor of the values, like {@code torch.tensor(list)}. */
    public static Tensor fromArray(float[] data) {
        return Creation.fromFloats(data, new int[] {data.length}, Cortado.defaultDevice());
    }

    /** A 1-d float32 tensor of the values (rounded to float). */
    public static Tensor fromArray(double[] data) {
        return Creation.fromDoubles(data, new int[] {data.length}, Cortado.defaultDevice());
    }

    /** A 1-d int64 tensor of the values. */
    public static Tensor fromArray(long[] data) {
        return Creation.fromLongs(data, new int[] {data.length}, Cortado.defaultDevice());
    }

    /**
     * The values, row-major, in the given shape; an empty shape is a 0-d tensor of one value, so
     * that {@code fromArray(t.toFloatArray(), t.shape())} gives t back for every t.
     */
    public static Tensor fromArray(float[] data, int... shape) {
        return Creation.fromFloats(data, shape, Cortado.defaultDevice());
    }

    public static Tensor fromArray(double[] data, int... shape) {
        return Creation.fromDoubles(data, shape, Cortado.defaultDevice());
    }

    public static Tensor fromArray(long[] data, int... shape) {
        return Creation.fromLongs(data, shape, Cortado.defaultDevice());
    }

    public static Tensor fromArray(float[] data, int[] shape, Device device) {
        return Creation.fromFloats(data, shape, device);
    }

    public static Tensor fromArray(double[] data, int[] shape, Device device) {
        return Creation.fromDoubles(data, shape, device);
    }

    public static Tensor fromArray(long[] data, int[] shape, Device device) {
        return Creation.fromLongs(data, shape, device);
    }

    /** Uniform on [0, 1) from the default generator. */
    public static Tensor rand(int... shape) {
        return Creation.rand(shape, Cortado.defaultDevice());
    }

    /** Standard normal from the default generator. */
    public static Tensor randn(int... shape) {
        return Creation.randn(shape, Cortado.defaultDevice());
    }

    /** int64 uniform in [low, high). */
    public static Tensor randint(long low, long high, int... shape) {
        return Creation.randint(low, high, shape, Cortado.defaultDevice());
    }

    /** PyTorch's {@code new_full}: a tensor of the given shape filled with value, with this one's dtype and device. */
    public Tensor newFull(int[] shape, double value) {
        return Creation.full(shape, value, dtype(), device());
    }

    public Tensor zerosLike() {
        return Creation.full(shape, 0, dtype(), device());
    }

    public Tensor onesLike() {
        return Creation.onesLike(this);
    }

    public Tensor fullLike(double value) {
        return Creation.full(shape, value, dtype(), device());
    }

    public Tensor randLike() {
        return Creation.rand(shape, device());
    }

    public Tensor randnLike() {
        return Creation.randn(shape, device());
    }

    public Tensor randintLike(long low, long high) {
        return Creation.randint(low, high, shape, device());
    }

    // ---- conversion out -------------------------------------------------------------------

    /** The value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item: a Tensor with " + numel() + " elements (shape " + Shapes.str(shape)
                    + ") cannot be converted to a scalar");
        }
        return dtype() == DType.INT64 ? Kernels.backend(this).toLongs(this)[0] : Kernels.backend(this).toDoubles(this)[0];
    }

    /** Elements in row-major order (int64 values are converted). */
    public float[] toFloatArray() {
        return dtype() == DType.FLOAT32 ? Kernels.backend(this).toFloats(this) : to(DType.FLOAT32).toFloatArray();
    }

    /** Elements in row-major order at the backend's precision. */
    public double[] toDoubleArray() {
        return dtype() == DType.FLOAT32 ? Kernels.backend(this).toDoubles(this) : to(DType.FLOAT32).toDoubleArray();
    }

    /** Elements in row-major order (float32 values are truncated toward zero). */
    public long[] toLongArray() {
        return dtype() == DType.INT64 ? Kernels.backend(this).toLongs(this) : to(DType.INT64).toLongArray();
    }

    /** Converts the element type (differentiable between floating types). */
    public Tensor to(DType dtype) {
        return Pointwise.cast(this, dtype);
    }

    /** Copies to another device (this tensor when already there). */
    public Tensor to(Device device) {
        return ViewOps.toDevice(this, device);
    }

    /** Same values, contiguous storage (this tensor when already contiguous). */
    public Tensor contiguous() {
        return ViewOps.contiguous(this);
    }

    /**
     * A contiguous copy that does not share storage, differentiable, as PyTorch's {@code clone()}
     * (this overrides {@link Object#clone()}; Tensor is not {@link Cloneable} and needs not be).
     */
    @Override
    public Tensor clone() {
        return ViewOps.clone(this);
    }

    // ---- views ----------------------------------------------------------------------------

    /** Same data, new shape; one dim may be -1. Copies only when the strides do not allow a view. */
    public Tensor reshape(int... newShape) {
        return ViewOps.reshape(this, newShape, false);
    }

    /** Like {@link #reshape} but fails instead of copying. */
    public Tensor view(int... newShape) {
        return ViewOps.reshape(this, newShape, true);
    }

    public Tensor flatten() {
        return flatten(0, -1);
    }

    public Tensor flatten(int startDim, int endDim) {
        return ViewOps.flatten(this, startDim, endDim);
    }

    /** {@code x.flatten(start_dim)}: dims from startDim to the last made one. */
    public Tensor flatten(int startDim) {
        return flatten(startDim, -1);
    }

    public Tensor squeeze() {
        return ViewOps.squeeze(this, null);
    }

    public Tensor squeeze(int dim) {
        return ViewOps.squeeze(this, dim);
    }

    public Tensor unsqueeze(int dim) {
        return ViewOps.unsqueeze(this, dim);
    }

    public Tensor permute(int... dims) {
        return ViewOps.permute(this, dims);
    }

    /** Moves dim source to position destination, the others keeping their order: a view, as {@code torch.movedim}. */
    public Tensor movedim(int source, int destination) {
        return ViewOps.movedim(this, new int[] {source}, new int[] {destination});
    }

    public Tensor movedim(int[] source, int[] destination) {
        return ViewOps.movedim(this, source, destination);
    }

    /** The same as {@link #transpose}, under NumPy's name, as {@code torch.swapaxes}. */
    public Tensor swapaxes(int dim0, int dim1) {
        return transpose(dim0, dim1);
    }

    public Tensor transpose(int dim0, int dim1) {
        return ViewOps.transpose(this, dim0, dim1);
    }

    /** Transpose of a matrix (or a no-op below 2 dims), like {@code tensor.t()}. */
    public Tensor t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t: expects a tensor with <= 2 dimensions, but this one has " + dim()
                    + " (shape " + Shapes.str(shape) + "); use transpose(dim0, dim1)");
        }
        return dim() < 2 ? this : transpose(0, 1);
    }

    /** Elements start .. start+length-1 along dim. */
    public Tensor narrow(int dim, int start, int length) {
        return ViewOps.narrow(this, dim, start, length);
    }

    /** Python slicing {@code x[:, start:end:step]} on one dim; negative start/end count from the end. */
    public Tensor slice(int dim, int start, int end, int step) {
        return ViewOps.slice(this, dim, start, end, step);
    }

    /** Index {@code x[..., index, ...]} on one dim, removing it. */
    public Tensor select(int dim, int index) {
        return ViewOps.select(this, dim, index);
    }

    /** Broadcasts size-1 dims (and new leading dims) to {@code sizes}; -1 keeps a size. */
    public Tensor expand(int... sizes) {
        return ViewOps.expand(this, sizes);
    }

    public Tensor expandAs(Tensor other) {
        return expand(other.shape);
    }

    /**
     * Every window of {@code size} elements along dim, {@code step} apart, as a new last dim of
     * length size: a view, as PyTorch's {@code Tensor.unfold} (shape (.., (n - size) / step + 1, .., size)).
     */
    public Tensor unfold(int dim, int size, int step) {
        return Unfolding.unfold(this, dim, size, step);
    }

    /** {@code torch.rot90(x, k, [d0, d1])}: k quarter turns from dim d0 toward d1 (negative k turns back), as a new tensor. */
    public Tensor rot90(int k, int d0, int d1) {
        return ViewOps.rot90(this, k, d0, d1);
    }

    /** Reverses the order of elements along the given dims (a view with negative strides). */
    public Tensor flip(int... dims) {
        return ViewOps.flip(this, dims);
    }

    // ---- elementwise ----------------------------------------------------------------------

    public Tensor add(Tensor other) {
        return Pointwise.binary(BinaryOp.ADD, this, other);
    }

    public Tensor add(double other) {
        return Pointwise.binaryScalar(BinaryOp.ADD, this, other);
    }

    /** this + alpha * other, like {@code torch.add(x, y, alpha=...)}. */
    public Tensor add(Tensor other, double alpha) {
        return add(other.mul(alpha));
    }

    public Tensor sub(Tensor other) {
        return Pointwise.binary(BinaryOp.SUB, this, other);
    }

    public Tensor sub(double other) {
        return Pointwise.binaryScalar(BinaryOp.SUB, this, other);
    }

    /** other - this, like {@code torch.rsub}. */
    public Tensor rsub(double other) {
        return Pointwise.binary(BinaryOp.SUB, Pointwise.scalarFor(this, other), this);
    }

    public Tensor mul(Tensor other) {
        return Pointwise.binary(BinaryOp.MUL, this, other);
    }

    public Tensor mul(double other) {
        return Pointwise.binaryScalar(BinaryOp.MUL, this, other);
    }

    /** True division: int64 inputs give float32, like PyTorch. */
    public Tensor div(Tensor other) {
        return Pointwise.binary(BinaryOp.DIV, this, other);
    }

    public Tensor div(double other) {
        return Pointwise.binaryScalar(BinaryOp.DIV, this, other);
    }

    /**
     * {@code torch.div(self, other, rounding_mode=...)}: "trunc" rounds the quotient toward zero,
     * "floor" toward minus infinity, null is true division. Rounded quotients of int64 tensors
     * stay int64 (a 0 divisor is then an error); their gradient is 0.
     */
    public Tensor div(Tensor other, String roundingMode) {
        return Pointwise.binary(Pointwise.roundingDivision(roundingMode), this, other);
    }

    public Tensor div(double other, String roundingMode) {
        return Pointwise.binaryScalar(Pointwise.roundingDivision(roundingMode), this, other);
    }

    /** {@code torch.floor_divide}: the quotient rounded toward minus infinity, as {@code div(other, "floor")}. */
    public Tensor floorDivide(Tensor other) {
        return Pointwise.binary(BinaryOp.FLOOR_DIVIDE, this, other);
    }

    public Tensor floorDivide(double other) {
        return Pointwise.binaryScalar(BinaryOp.FLOOR_DIVIDE, this, other);
    }

    /** {@code torch.fmod}: the remainder of the quotient rounded toward zero, with this tensor's sign (C's fmod). */
    public Tensor fmod(Tensor other) {
        return Pointwise.binary(BinaryOp.FMOD, this, other);
    }

    public Tensor fmod(double other) {
        return Pointwise.binaryScalar(BinaryOp.FMOD, this, other);
    }

    /** {@code torch.remainder}: Python's {@code %}, the remainder with the divisor's sign. */
    public Tensor remainder(Tensor other) {
        return Pointwise.binary(BinaryOp.REMAINDER, this, other);
    }

    public Tensor remainder(double other) {
        return Pointwise.binaryScalar(BinaryOp.REMAINDER, this, other);
    }

    /** {@code torch.atan2(self, other)}: the angle of the point (other, self), in [-pi, pi]. */
    public Tensor atan2(Tensor other) {
        return Pointwise.binary(BinaryOp.ATAN2, this, other);
    }

    /** {@code torch.hypot}: sqrt(self^2 + other^2), without overflow on the way. */
    public Tensor hypot(Tensor other) {
        return Pointwise.binary(BinaryOp.HYPOT, this, other);
    }

    public Tensor pow(double exponent) {
        return Pointwise.unary(UnaryOp.POW, this, exponent, 0);
    }

    public Tensor pow(Tensor exponent) {
        return Pointwise.binary(BinaryOp.POW, this, exponent);
    }

    public Tensor neg() {
        return Pointwise.unary(UnaryOp.NEG, this, 0, 0);
    }

    /** {@code torch.cumprod(x, dim)}: running products along dim, differentiable where the input has zeros. */
    public Tensor cumprod(int dim) {
        return Searching.cumprod(this, dim);
    }

    /** {@code torch.lerp(self, end, weight)}: self + weight (end - self), exact at both ends as PyTorch computes it. */
    public Tensor lerp(Tensor end, Tensor weight) {
        return ElementwiseComposites.lerp(this, end, weight);
    }

    public Tensor lerp(Tensor end, double weight) {
        return ElementwiseComposites.lerp(this, end, weight);
    }

    /** {@code torch.addcmul(self, t1, t2, value=v)}: self + v · t1 · t2. */
    public Tensor addcmul(Tensor t1, Tensor t2, double value) {
        return ElementwiseComposites.addcmul(this, t1, t2, value);
    }

    /** {@code torch.addcdiv(self, t1, t2, value=v)}: self + v · t1 / t2. */
    public Tensor addcdiv(Tensor t1, Tensor t2, double value) {
        return ElementwiseComposites.addcdiv(this, t1, t2, value);
    }

    /** A float32 0/1 mask of the NaN elements, like the comparisons. */
    public Tensor isnan() {
        return ElementwiseComposites.isnan(this);
    }

    /** A float32 0/1 mask of the infinite elements. */
    public Tensor isinf() {
        return ElementwiseComposites.isinf(this);
    }

    /** A float32 0/1 mask of the elements that are neither NaN nor infinite. */
    public Tensor isfinite() {
        return ElementwiseComposites.isfinite(this);
    }

    /** {@code torch.nan_to_num(x)}: NaN to 0, ±inf to the largest and lowest finite float32. */
    public Tensor nanToNum() {
        return ElementwiseComposites.nanToNum(this, null, null, null);
    }

    /** {@code torch.nan_to_num(x, nan, posinf, neginf)}; a null keeps PyTorch's default for that case. */
    public Tensor nanToNum(Double nan, Double posinf, Double neginf) {
        return ElementwiseComposites.nanToNum(this, nan, posinf, neginf);
    }

    public Tensor abs() {
        return Pointwise.unary(UnaryOp.ABS, this, 0, 0);
    }

    public Tensor sign() {
        return Pointwise.unary(UnaryOp.SIGN, this, 0, 0);
    }

    /** {@code torch.sgn}: for real tensors the same as {@link #sign}. */
    public Tensor sgn() {
        return sign();
    }

    /** {@code torch.rsqrt}: 1 / sqrt(x). */
    public Tensor rsqrt() {
        return ElementwiseComposites.rsqrt(this);
    }

    /** {@code torch.reciprocal}: 1 / x. */
    public Tensor reciprocal() {
        return ElementwiseComposites.reciprocal(this);
    }

    /** Degrees to radians, {@code torch.deg2rad}. */
    public Tensor deg2rad() {
        return mul(Math.PI / 180);
    }

    /** Radians to degrees, {@code torch.rad2deg}. */
    public Tensor rad2deg() {
        return mul(180 / Math.PI);
    }

    public Tensor exp() {
        return Pointwise.unary(UnaryOp.EXP, this, 0, 0);
    }

    public Tensor log() {
        return Pointwise.unary(UnaryOp.LOG, this, 0, 0);
    }

    public Tensor sqrt() {
        return Pointwise.unary(UnaryOp.SQRT, this, 0, 0);
    }

    /** The error function, {@code torch.erf}. */
    public Tensor erf() {
        return Pointwise.unary(UnaryOp.ERF, this, 0, 0);
    }

    /** exp(x) - 1 without the cancellation near 0, {@code torch.expm1}. */
    public Tensor expm1() {
        return Pointwise.unary(UnaryOp.EXPM1, this, 0, 0);
    }

    /** Rounds down, {@code torch.floor}; an int64 tensor comes back as a copy. Its gradient is 0. */
    public Tensor floor() {
        return rounding(UnaryOp.FLOOR);
    }

    /** Rounds up, {@code torch.ceil}. */
    public Tensor ceil() {
        return rounding(UnaryOp.CEIL);
    }

    /** Rounds to the nearest integer, halves to even (0.5 → 0, 1.5 → 2), as {@code torch.round}. */
    public Tensor round() {
        return rounding(UnaryOp.ROUND);
    }

    /**
     * Rounds to {@code decimals} decimal places (negative: to tens, hundreds, ...), as
     * {@code torch.round(x, decimals=d)}: round(x · 10^d) / 10^d, or round(x / 10^-d) · 10^-d.
     */
    public Tensor round(int decimals) {
        if (decimals == 0 || dtype() == DType.INT64 && decimals > 0) {
            return round();
        }
        double scale = Math.pow(10, Math.abs(decimals));
        return decimals > 0 ? mul(scale).round().div(scale) : div(scale).round().mul(scale);
    }

    /** Rounds towards zero, {@code torch.trunc}. */
    public Tensor trunc() {
        return rounding(UnaryOp.TRUNC);
    }

    /** The fractional part, x - trunc(x), with x's sign, as {@code torch.frac}. */
    public Tensor frac() {
        return sub(trunc());
    }

    private Tensor rounding(UnaryOp op) {
        return dtype() == DType.INT64 ? clone() : Pointwise.unary(op, this, 0, 0);
    }

    public Tensor sin() {
        return Pointwise.unary(UnaryOp.SIN, this, 0, 0);
    }

    public Tensor cos() {
        return Pointwise.unary(UnaryOp.COS, this, 0, 0);
    }

    public Tensor tan() {
        return Pointwise.unary(UnaryOp.TAN, this, 0, 0);
    }

    /** {@code torch.asin}: NaN outside [-1, 1]. */
    public Tensor asin() {
        return Pointwise.unary(UnaryOp.ASIN, this, 0, 0);
    }

    /** {@code torch.acos}: NaN outside [-1, 1]. */
    public Tensor acos() {
        return Pointwise.unary(UnaryOp.ACOS, this, 0, 0);
    }

    public Tensor atan() {
        return Pointwise.unary(UnaryOp.ATAN, this, 0, 0);
    }

    public Tensor sinh() {
        return Pointwise.unary(UnaryOp.SINH, this, 0, 0);
    }

    public Tensor cosh() {
        return Pointwise.unary(UnaryOp.COSH, this, 0, 0);
    }

    public Tensor asinh() {
        return Pointwise.unary(UnaryOp.ASINH, this, 0, 0);
    }

    /** {@code torch.acosh}: NaN below 1. */
    public Tensor acosh() {
        return Pointwise.unary(UnaryOp.ACOSH, this, 0, 0);
    }

    /** {@code torch.atanh}: ±inf at ±1, NaN beyond. */
    public Tensor atanh() {
        return Pointwise.unary(UnaryOp.ATANH, this, 0, 0);
    }

    /** {@code torch.exp2}: 2 to the power of each element. */
    public Tensor exp2() {
        return Pointwise.unary(UnaryOp.EXP2, this, 0, 0);
    }

    public Tensor log2() {
        return Pointwise.unary(UnaryOp.LOG2, this, 0, 0);
    }

    public Tensor log10() {
        return Pointwise.unary(UnaryOp.LOG10, this, 0, 0);
    }

    /** {@code torch.lgamma}: log |Γ(x)|, +inf at the poles 0, -1, -2, ... */
    public Tensor lgamma() {
        return Pointwise.unary(UnaryOp.LGAMMA, this, 0, 0);
    }

    /** {@code torch.digamma}: ψ(x) = d/dx log Γ(x); NaN at the negative integers, -inf at 0. */
    public Tensor digamma() {
        return Pointwise.unary(UnaryOp.DIGAMMA, this, 0, 0);
    }

    /** {@code torch.polygamma(n, x)}: the n-th derivative of ψ (n = 0 is ψ itself). */
    public Tensor polygamma(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("polygamma: n must be non-negative, got " + n);
        }
        return n == 0 ? digamma() : Pointwise.unary(UnaryOp.POLYGAMMA, this, n, 0);
    }

    /** {@code torch.erfinv}: the inverse error function on [-1, 1], ±inf at ±1, NaN outside. */
    public Tensor erfinv() {
        return Pointwise.unary(UnaryOp.ERFINV, this, 0, 0);
    }

    /** {@code torch.erfc}: 1 - erf(x), accurate where erf is close to 1. */
    public Tensor erfc() {
        return Pointwise.unary(UnaryOp.ERFC, this, 0, 0);
    }

    /** log(1 + x) without the rounding of 1 + x near 0, {@code torch.log1p}. */
    public Tensor log1p() {
        return Pointwise.unary(UnaryOp.LOG1P, this, 0, 0);
    }

    public Tensor square() {
        return mul(this);
    }

    /** {@code torch.clip}, another name for {@link #clamp(double, double)}. */
    public Tensor clip(double min, double max) {
        return clamp(min, max);
    }

    /** Clamps to [min, max]; pass infinities for a one-sided clamp. */
    public Tensor clamp(double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        return Pointwise.unary(UnaryOp.CLAMP, this, min, max);
    }

    public Tensor clampMin(double min) {
        return clamp(min, Double.POSITIVE_INFINITY);
    }

    public Tensor clampMax(double max) {
        return clamp(Double.NEGATIVE_INFINITY, max);
    }

    public Tensor relu() {
        return Pointwise.unary(UnaryOp.RELU, this, 0, 0);
    }

    public Tensor leakyRelu(double negativeSlope) {
        return Pointwise.unary(UnaryOp.LEAKY_RELU, this, negativeSlope, 0);
    }

    public Tensor sigmoid() {
        return Pointwise.unary(UnaryOp.SIGMOID, this, 0, 0);
    }

    public Tensor tanh() {
        return Pointwise.unary(UnaryOp.TANH, this, 0, 0);
    }

    // ---- comparisons: float32 masks of 0 and 1 ----------------------------------------------

    public Tensor eq(Tensor other) {
        return Pointwise.binary(BinaryOp.EQ, this, other);
    }

    public Tensor eq(double other) {
        return Pointwise.binaryScalar(BinaryOp.EQ, this, other);
    }

    public Tensor ne(Tensor other) {
        return Pointwise.binary(BinaryOp.NE, this, other);
    }

    public Tensor ne(double other) {
        return Pointwise.binaryScalar(BinaryOp.NE, this, other);
    }

    public Tensor gt(Tensor other) {
        return Pointwise.binary(BinaryOp.GT, this, other);
    }

    public Tensor gt(double other) {
        return Pointwise.binaryScalar(BinaryOp.GT, this, other);
    }

    public Tensor lt(Tensor other) {
        return Pointwise.binary(BinaryOp.LT, this, other);
    }

    public Tensor lt(double other) {
        return Pointwise.binaryScalar(BinaryOp.LT, this, other);
    }

    public Tensor ge(Tensor other) {
        return Pointwise.binary(BinaryOp.GE, this, other);
    }

    public Tensor ge(double other) {
        return Pointwise.binaryScalar(BinaryOp.GE, this, other);
    }

    public Tensor le(Tensor other) {
        return Pointwise.binary(BinaryOp.LE, this, other);
    }

    public Tensor le(double other) {
        return Pointwise.binaryScalar(BinaryOp.LE, this, other);
    }

    /**
     * {@code torch.einsum(equation, operands)}: e.g. {@code "bij,bjk->bik"} for batched matmul,
     * {@code "ii->i"} for a diagonal, {@code "...ij->...ji"} with broadcast leading dims.
     */
    public static Tensor einsum(String equation, Tensor... operands) {
        return Einsum.einsum(equation, operands);
    }

    /** {@code torch.cdist(x1, x2, p)}: p-norm distances between the rows of x1 (..., P, M) and of x2 (..., R, M), as (..., P, R). */
    public static Tensor cdist(Tensor x1, Tensor x2, double p) {
        return Cdist.cdist(x1, x2, p);
    }

    /** {@code torch.searchsorted(sorted_sequence, values, right=...)}: int64 insertion indices that keep each row sorted. */
    public static Tensor searchsorted(Tensor sortedSequence, Tensor values, boolean right) {
        return Searching.searchsorted(sortedSequence, values, right);
    }

    /** {@code torch.bucketize(input, boundaries, right=...)}: the int64 bucket of each element among the sorted 1-d boundaries. */
    public static Tensor bucketize(Tensor input, Tensor boundaries, boolean right) {
        if (boundaries.dim() != 1) {
            throw new IllegalArgumentException("bucketize: boundaries must be a 1-d tensor, got " + Shapes.str(boundaries.shape()));
        }
        return Searching.searchsorted(boundaries, input, right);
    }

    /** Elementwise {@code condition ? a : b} with broadcasting; any nonzero condition is true. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return Pointwise.where(condition, a, b);
    }

    /** Views of splitSize along dim, the last one smaller where the size does not divide, like {@code torch.split}. */
    public java.util.List<Tensor> split(int splitSize, int dim) {
        return Splitting.split(this, splitSize, dim);
    }

    /** Views of the given sizes along dim, which must add up to its size, like {@code torch.split(x, [sizes])}. */
    public java.util.List<Tensor> split(int[] sizes, int dim) {
        return Splitting.split(this, sizes, dim);
    }

    /** At most chunks views along dim of equal size but the last, like {@code torch.chunk}. */
    public java.util.List<Tensor> chunk(int chunks, int dim) {
        return Splitting.chunk(this, chunks, dim);
    }

    /** The views at every index along dim, without that dim, like {@code torch.unbind}. */
    public java.util.List<Tensor> unbind(int dim) {
        return Splitting.unbind(this, dim);
    }

    /** Shifts elements by shift along dim, wrapping around, as {@code torch.roll(x, shift, dim)}. */
    public Tensor roll(int shift, int dim) {
        return Rolling.roll(this, new int[] {shift}, new int[] {dim});
    }

    /** One shift per dim, applied in turn; with no dims, one shift of the flattened tensor. */
    public Tensor roll(int[] shifts, int[] dims) {
        return Rolling.roll(this, shifts, dims);
    }

    /** The lower triangle of the last two dims (column - row <= diagonal), zeros above: {@code torch.tril}. */
    public Tensor tril(int diagonal) {
        return Triangular.tril(this, diagonal);
    }

    public Tensor tril() {
        return tril(0);
    }

    /** The upper triangle of the last two dims (column - row >= diagonal), zeros below: {@code torch.triu}. */
    public Tensor triu(int diagonal) {
        return Triangular.triu(this, diagonal);
    }

    public Tensor triu() {
        return triu(0);
    }

    /** This tiled reps[i] times along each dim (a copy), like {@code Tensor.repeat}. */
    public Tensor repeat(int... reps) {
        return ViewOps.repeat(this, reps);
    }

    /** Elementwise larger of this and other, broadcast, NaN where either is NaN, like {@code torch.maximum}. */
    public Tensor maximum(Tensor other) {
        return Pointwise.extreme(this, other, true);
    }

    /** Elementwise smaller of this and other, like {@code torch.minimum}. */
    public Tensor minimum(Tensor other) {
        return Pointwise.extreme(this, other, false);
    }

    /**
     * Running sums along dim, as {@code torch.cumsum}: element i is the sum of elements 0..i. An
     * int64 tensor stays int64; float32 sums are carried in double, as PyTorch's CPU does.
     */
    public Tensor cumsum(int dim) {
        return CumulativeSums.cumsum(this, dim);
    }

    /**
     * {@code torch.cummax(x, dim)}: the running largest value along dim and the index where it
     * stands (the later one among ties; a NaN, once met, stays). The gradient goes to those indices.
     */
    public ValuesIndices cummax(int dim) {
        return Scans.cumulativeExtreme(this, dim, true);
    }

    /** {@code torch.cummin(x, dim)}: the running smallest value along dim and its index, as {@link #cummax}. */
    public ValuesIndices cummin(int dim) {
        return Scans.cumulativeExtreme(this, dim, false);
    }

    /** {@code torch.logcumsumexp(x, dim)}: log of the running sums of exp along dim, without overflow. */
    public Tensor logcumsumexp(int dim) {
        return Scans.logcumsumexp(this, dim);
    }

    /** The largest value over dims (none: all), as {@code torch.amax}: ties share the gradient, unlike max(dim)'s single index. */
    public Tensor amax(int[] dims, boolean keepdim) {
        return Reductions.amax(ReduceOp.MAX, this, dims, keepdim);
    }

    /** The smallest value over dims (none: all), as {@code torch.amin}. */
    public Tensor amin(int[] dims, boolean keepdim) {
        return Reductions.amax(ReduceOp.MIN, this, dims, keepdim);
    }

    /** {@code torch.amax(x, dim, keepdim)}. */
    public Tensor amax(int dim, boolean keepdim) {
        return amax(new int[] {dim}, keepdim);
    }

    /** {@code torch.amin(x, dim, keepdim)}. */
    public Tensor amin(int dim, boolean keepdim) {
        return amin(new int[] {dim}, keepdim);
    }

    /** Whether any element is nonzero (NaN counts), as a float32 0/1 like the comparisons: {@code torch.any}. */
    public Tensor any() {
        return any(new int[0], false);
    }

    /** Whether any element along dims (none: all) is nonzero, as float32 0/1. */
    public Tensor any(int[] dims, boolean keepdim) {
        return numel() == 0 ? Creation.full(Reductions.keptShape(shape, dims, keepdim), 0, DType.FLOAT32, device())
                : Reductions.amax(ReduceOp.MAX, detach().ne(0), dims, keepdim).detach();
    }

    /** {@code x.any(dim, keepdim)}. */
    public Tensor any(int dim, boolean keepdim) {
        return any(new int[] {dim}, keepdim);
    }

    /** Whether every element is nonzero, as float32 0/1: {@code torch.all}. */
    public Tensor all() {
        return all(new int[0], false);
    }

    /** Whether every element along dims (none: all) is nonzero, as float32 0/1. */
    public Tensor all(int[] dims, boolean keepdim) {
        return numel() == 0 ? Creation.full(Reductions.keptShape(shape, dims, keepdim), 1, DType.FLOAT32, device())
                : Reductions.amax(ReduceOp.MIN, detach().ne(0), dims, keepdim).detach();
    }

    /** {@code x.all(dim, keepdim)}. */
    public Tensor all(int dim, boolean keepdim) {
        return all(new int[] {dim}, keepdim);
    }

    /** How many elements along dims (none: all) are nonzero, as int64: {@code torch.count_nonzero}. */
    public Tensor countNonzero(int... dims) {
        try (var off = GradMode.off()) {
            return detach().ne(0).sum(dims.length == 0 ? Shapes.all(dim()) : dims, false).to(DType.INT64);
        }
    }

    /** The k-th smallest value along dim (k from 1) and its position, as {@code torch.kthvalue}. */
    public ValuesIndices kthvalue(int k, int dim, boolean keepdim) {
        return OrderStatistics.kthvalue(this, k, dim, keepdim);
    }

    /** The lower median along dim and its position, NaN where the line holds a NaN, as {@code torch.median(x, dim)}. */
    public ValuesIndices median(int dim, boolean keepdim) {
        return OrderStatistics.median(this, dim, keepdim);
    }

    /** {@code torch.mode(x, dim, keepdim)}: each line's most frequent value (the smallest of ties) and the index of its last occurrence. */
    public ValuesIndices mode(int dim, boolean keepdim) {
        return OrderStatistics.mode(this, dim, keepdim);
    }

    /** The lower median of every element (NaN if any is NaN), as {@code torch.median(x)}. */
    public Tensor median() {
        return OrderStatistics.median(this);
    }

    /** log Σ exp over dim without overflow, as {@code torch.logsumexp}. */
    public Tensor logsumexp(int dim, boolean keepdim) {
        return LogSumExp.logsumexp(this, new int[] {dim}, keepdim);
    }

    /** log Σ exp over dims (an empty list: all of them). */
    public Tensor logsumexp(int[] dims, boolean keepdim) {
        return LogSumExp.logsumexp(this, dims, keepdim);
    }

    /** The 2-norm of all elements, a 0-dim tensor, like {@code torch.linalg.vector_norm(x)}. */
    public Tensor norm() {
        return Norms.vectorNorm(this, 2, null, false);
    }

    /** The p-norm (p > 0, or infinity for the largest magnitude) of all elements. */
    public Tensor norm(double p) {
        return Norms.vectorNorm(this, p, null, false);
    }

    /** The p-norm over dims, like {@code torch.linalg.vector_norm(x, p, dims, keepdim)}. */
    public Tensor norm(double p, int[] dims, boolean keepdim) {
        return Norms.vectorNorm(this, p, dims, keepdim);
    }

    // ---- indexing -------------------------------------------------------------------------

    /**
     * Values at int64 positions along dim, like {@code torch.gather}: for dim 1,
     * {@code out[i][j][k] = this[i][index[i][j][k]][k]}. index has as many dims as this and is no
     * larger in any other dim; the result has index's shape.
     */
    public Tensor gather(int dim, Tensor index) {
        return Indexing.gather(this, dim, index);
    }

    /**
     * A copy with src's values added at int64 positions along dim, like {@code torch.scatter_add}:
     * for dim 1, {@code out[i][index[i][j][k]][k] += src[i][j][k]}. Repeated positions add up,
     * in the order of j on every backend.
     */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return Indexing.scatterAdd(this, dim, index, src);
    }

    /** The slices at a vector of int64 positions along dim, like {@code torch.index_select}. */
    public Tensor indexSelect(int dim, Tensor index) {
        return Indexing.indexSelect(this, dim, index);
    }

    /**
     * Values sorted along dim and the positions they came from, like
     * {@code torch.sort(x, dim, descending, stable=True)}: equal values keep their order, NaN
     * sorts above every number.
     */
    public ValuesIndices sort(int dim, boolean descending) {
        return Sorting.sort(this, dim, descending);
    }

    /** Ascending along the last dim. */
    public ValuesIndices sort() {
        return Sorting.sort(this, -1, false);
    }

    /** The positions that sort along dim, like {@code torch.argsort} (stable). */
    public Tensor argsort(int dim, boolean descending) {
        return Sorting.argsort(this, dim, descending);
    }

    /**
     * The k largest (or smallest) values along dim, in order, and their positions, like
     * {@code torch.topk(x, k, dim, largest, sorted=True)}. Equal values come in index order.
     */
    public ValuesIndices topk(int k, int dim, boolean largest) {
        return Sorting.topk(this, k, dim, largest);
    }

    /** The k largest values along the last dim. */
    public ValuesIndices topk(int k) {
        return Sorting.topk(this, k, -1, true);
    }

    /**
     * Whether |this − other| ≤ atol + rtol·|other| everywhere (broadcast), like
     * {@code torch.isclose}, as a float32 mask; equal infinities are close, and NaNs are close to
     * each other only with equalNan.
     */
    public Tensor isclose(Tensor other, double rtol, double atol, boolean equalNan) {
        return Closeness.isclose(this, other, rtol, atol, equalNan);
    }

    /** Whether every element is close, like {@code torch.allclose(x, y, rtol=1e-5, atol=1e-8)}; reads the answer back. */
    public boolean allclose(Tensor other) {
        return Closeness.allclose(this, other, 1e-5, 1e-8, false);
    }

    public boolean allclose(Tensor other, double rtol, double atol, boolean equalNan) {
        return Closeness.allclose(this, other, rtol, atol, equalNan);
    }

    /** Same shape and every element equal (NaN equals nothing), like {@code torch.equal}; reads the answer back. */
    public boolean equal(Tensor other) {
        return Closeness.equal(this, other);
    }

    /** The positions of the nonzero elements as an (n, dim) int64 tensor, like {@code torch.nonzero}; reads the values back. */
    public Tensor nonzero() {
        return Selection.nonzero(this);
    }

    /** {@code torch.quantile(x, q)} over all elements, linear interpolation. */
    public Tensor quantile(double q) {
        return Quantiles.quantile(this, Tensor.full(new int[0], q, DType.FLOAT32, device()), null, false, "linear", false);
    }

    /** {@code torch.quantile(x, q, dim, keepdim)}, linear interpolation. */
    public Tensor quantile(double q, int dim, boolean keepdim) {
        return Quantiles.quantile(this, Tensor.full(new int[0], q, DType.FLOAT32, device()), dim, keepdim, "linear", false);
    }

    /**
     * {@code torch.quantile(x, q, dim, keepdim, interpolation)}: q a 0-d or 1-d tensor of values in
     * [0, 1] (a 1-d q adds a leading dim), dim null for all elements, interpolation "linear",
     * "lower", "higher", "midpoint" or "nearest". A line holding a NaN gives NaN.
     */
    public Tensor quantile(Tensor q, Integer dim, boolean keepdim, String interpolation) {
        return Quantiles.quantile(this, q, dim, keepdim, interpolation, false);
    }

    /** {@code torch.nanquantile}: as {@link #quantile(Tensor, Integer, boolean, String)}, leaving NaNs out. */
    public Tensor nanquantile(Tensor q, Integer dim, boolean keepdim, String interpolation) {
        return Quantiles.quantile(this, q, dim, keepdim, interpolation, true);
    }

    public Tensor nanquantile(double q, int dim, boolean keepdim) {
        return Quantiles.quantile(this, Tensor.full(new int[0], q, DType.FLOAT32, device()), dim, keepdim, "linear", true);
    }

    /** {@code torch.cov(x, correction=1)}: the covariance of the variables in x's rows over the observations in its columns. */
    public Tensor cov() {
        return Covariance.cov(this, 1);
    }

    public Tensor cov(int correction) {
        return Covariance.cov(this, correction);
    }

    /** {@code torch.corrcoef}: Pearson's correlation coefficients of the variables in x's rows. */
    public Tensor corrcoef() {
        return Covariance.corrcoef(this);
    }

    /** {@code torch.tensordot(a, b, dims)}: the last dims of a contracted with the first dims of b. */
    public static Tensor tensordot(Tensor a, Tensor b, int dims) {
        return Tensordot.tensordot(a, b, dims);
    }

    /** {@code torch.tensordot(a, b, dims=(dimsA, dimsB))}: the listed dims contracted pairwise. */
    public static Tensor tensordot(Tensor a, Tensor b, int[] dimsA, int[] dimsB) {
        return Tensordot.tensordot(a, b, dimsA, dimsB);
    }

    /** {@code torch.trapezoid(y, dx=dx, dim=dim)}: the trapezoidal rule with even spacing. */
    public Tensor trapezoid(double dx, int dim) {
        return Trapezoid.trapezoid(this, dx, dim);
    }

    /** {@code torch.trapezoid(y, x, dim=dim)}: the trapezoidal rule at the sample points x. */
    public Tensor trapezoid(Tensor x, int dim) {
        return Trapezoid.trapezoid(this, x, dim);
    }

    /** {@code torch.prod(x)}: the product of all elements (int64 stays int64); the gradient is right where elements are 0. */
    public Tensor prod() {
        return Products.prod(this);
    }

    /** {@code torch.prod(x, dim, keepdim)}: products along dim. */
    public Tensor prod(int dim, boolean keepdim) {
        return Products.prod(this, dim, keepdim);
    }

    /** {@code torch.diff(x, n, dim)}: the n-th forward difference along dim. */
    public Tensor diff(int n, int dim) {
        return Repeats.diff(this, n, dim, null, null);
    }

    /** {@code torch.diff(x, n, dim, prepend, append)}: differences after joining prepend and append (either may be null) on along dim. */
    public Tensor diff(int n, int dim, Tensor prepend, Tensor append) {
        return Repeats.diff(this, n, dim, prepend, append);
    }

    /** {@code torch.tile}: as {@link #repeat}, with fewer reps than dims padded with leading 1s. */
    public Tensor tile(int... reps) {
        return Repeats.tile(this, reps);
    }

    /** {@code x.repeat_interleave(repeats, dim)}: each slice along dim (null: each element, flattened) repeated in place. */
    public Tensor repeatInterleave(int repeats, Integer dim) {
        return Repeats.repeatInterleave(this, repeats, dim);
    }

    /** {@code x.repeat_interleave(repeats, dim)}: slice i along dim repeated repeats[i] times (repeats int64, one per slice). */
    public Tensor repeatInterleave(Tensor repeats, Integer dim) {
        return Repeats.repeatInterleave(this, repeats, dim);
    }

    /** {@code torch.repeat_interleave(repeats)}: 0 repeated repeats[0] times, then 1 repeated repeats[1] times, ... (int64). */
    public static Tensor repeatInterleave(Tensor repeats) {
        return Repeats.repeatInterleave(repeats);
    }

    /** {@code torch.logaddexp}: log(e^this + e^other), without overflow. */
    public Tensor logaddexp(Tensor other) {
        return ElementwiseComposites.logAddExp(this, other, false);
    }

    /** {@code torch.logaddexp2}: log2(2^this + 2^other). */
    public Tensor logaddexp2(Tensor other) {
        return ElementwiseComposites.logAddExp(this, other, true);
    }

    /** {@code torch.take_along_dim(x, indices, dim)}: gather with the other dims broadcast; dim null indexes the flattened tensor. */
    public Tensor takeAlongDim(Tensor indices, Integer dim) {
        return TakeAlong.takeAlongDim(this, indices, dim);
    }

    /** {@code torch.cross(a, b, dim)} (as {@code torch.linalg.cross}): the cross product of 3-vectors along dim. */
    public Tensor cross(Tensor other, int dim) {
        return TakeAlong.cross(this, other, dim);
    }

    /** {@code torch.unique(x, sorted=True, return_inverse=True, return_counts=True)}: distinct values, ascending, NaN last. */
    public UniqueResult unique() {
        return Uniques.unique(this, null, true);
    }

    /** {@code torch.unique(x, dim=dim, ...)}: the distinct slices along dim, in ascending order element by element. */
    public UniqueResult unique(int dim) {
        return Uniques.unique(this, dim, true);
    }

    /** {@code torch.unique_consecutive(x, return_inverse=True, return_counts=True)}: each run of equal values once. */
    public UniqueResult uniqueConsecutive() {
        return Uniques.unique(this, null, false);
    }

    /** {@code torch.unique_consecutive(x, dim=dim, ...)}: each run of equal slices along dim once. */
    public UniqueResult uniqueConsecutive(int dim) {
        return Uniques.unique(this, dim, false);
    }

    /** {@code torch.histc(x, bins, min, max)}: float32 counts in bins of equal width; min = max = 0 takes the data's range. */
    public Tensor histc(int bins, double min, double max) {
        return Histograms.histc(this, bins, min, max);
    }

    /** {@code torch.multinomial(weights, numSamples, replacement)}: int64 category draws per row of non-negative weights. */
    public Tensor multinomial(int numSamples, boolean replacement) {
        return Sampling.multinomial(this, numSamples, replacement);
    }

    /** {@code torch.bernoulli(p)}: 1 with probability p, else 0, from the default generator. */
    public Tensor bernoulli() {
        return Sampling.bernoulli(this);
    }

    /** {@code new_zeros(shape)}: zeros with this tensor's dtype and device. */
    public Tensor newZeros(int... shape) {
        return newFull(shape, 0);
    }

    /** {@code new_ones(shape)}: ones with this tensor's dtype and device. */
    public Tensor newOnes(int... shape) {
        return newFull(shape, 1);
    }

    /** {@code torch.broadcast_to}: the same as {@link #expand}. */
    public Tensor broadcastTo(int... shape) {
        return expand(shape);
    }

    /** {@code torch.ravel}: the elements as a 1-d tensor (a view when they are contiguous). */
    public Tensor ravel() {
        return reshape(-1);
    }

    /** {@code x.mT}: the last two dims swapped. */
    public Tensor mT() {
        if (dim() < 2) {
            throw new IllegalArgumentException("mT: tensor.mT is only supported on matrices or batches of matrices, got " + dim() + "-D");
        }
        return transpose(-2, -1);
    }

    /** {@code torch.fliplr}: columns (dim 1) reversed. */
    public Tensor fliplr() {
        if (dim() < 2) {
            throw new IllegalArgumentException("fliplr: input must be >= 2-d, got " + dim() + "-d");
        }
        return flip(1);
    }

    /** {@code torch.flipud}: rows (dim 0) reversed. */
    public Tensor flipud() {
        if (dim() < 1) {
            throw new IllegalArgumentException("flipud: input must be >= 1-d, got 0-d");
        }
        return flip(0);
    }

    /** {@code torch.msort}: sorted along dim 0. */
    public Tensor msort() {
        return sort(0, false).values();
    }

    /** {@code torch.isposinf}: a 0/1 mask of +inf. */
    public Tensor isposinf() {
        return eq(Double.POSITIVE_INFINITY);
    }

    /** {@code torch.isneginf}: a 0/1 mask of -inf. */
    public Tensor isneginf() {
        return eq(Double.NEGATIVE_INFINITY);
    }

    /** {@code is_floating_point()}. */
    public boolean isFloatingPoint() {
        return dtype().isFloatingPoint();
    }

    /** {@code torch.moveaxis}: the same as {@link #movedim(int, int)}. */
    public Tensor moveaxis(int source, int destination) {
        return movedim(source, destination);
    }

    /** {@code torch.swapdims}: the same as {@link #swapaxes}. */
    public Tensor swapdims(int dim0, int dim1) {
        return swapaxes(dim0, dim1);
    }

    /** {@code torch.fix}: the same as {@link #trunc}. */
    public Tensor fix() {
        return trunc();
    }

    /** {@code torch.absolute}: the same as {@link #abs}. */
    public Tensor absolute() {
        return abs();
    }

    /** {@code torch.negative}: the same as {@link #neg}. */
    public Tensor negative() {
        return neg();
    }

    /** {@code torch.arctan2}: the same as {@link #atan2}. */
    public Tensor arctan2(Tensor other) {
        return atan2(other);
    }

    /** {@code torch.subtract}, {@code multiply}, {@code divide}, {@code true_divide}: the same as sub, mul, div. */
    public Tensor subtract(Tensor other) {
        return sub(other);
    }

    public Tensor multiply(Tensor other) {
        return mul(other);
    }

    public Tensor divide(Tensor other) {
        return div(other);
    }

    public Tensor trueDivide(Tensor other) {
        return div(other);
    }

    /** {@code torch.greater}, {@code greater_equal}, {@code less}, {@code less_equal}, {@code not_equal}: gt, ge, lt, le, ne. */
    public Tensor greater(Tensor other) {
        return gt(other);
    }

    public Tensor greaterEqual(Tensor other) {
        return ge(other);
    }

    public Tensor less(Tensor other) {
        return lt(other);
    }

    public Tensor lessEqual(Tensor other) {
        return le(other);
    }

    public Tensor notEqual(Tensor other) {
        return ne(other);
    }

    /** {@code torch.linalg.inv}: the inverse of each square matrix in the last two dims; a singular one is an error. */
    public Tensor inverse() {
        return LinearSolves.inv(this);
    }

    /** {@code torch.linalg.det}: the determinant of each square matrix in the last two dims. */
    public Tensor det() {
        return LinearSolves.det(this);
    }

    /** {@code torch.linalg.slogdet}: {sign, log |det|} of each square matrix, the log free of det's overflow. */
    public Tensor[] slogdet() {
        return LinearSolves.slogdet(this);
    }

    /** {@code torch.logdet}: log det, NaN where det is negative. */
    public Tensor logdet() {
        Tensor[] sl = slogdet();
        return Tensor.where(sl[0].lt(0), sl[1].newFull(new int[0], Double.NaN), sl[1]);
    }

    /** {@code torch.linalg.solve(A, B)}: X with A X = B, for B (*, n, k) or one vector (*, n) per matrix. */
    public static Tensor solve(Tensor a, Tensor b) {
        return LinearSolves.solve(a, b);
    }

    /** {@code torch.nanmedian(x, dim)}: the lower median of each line's non-NaN values and its position; NaN for an all-NaN line. */
    public ValuesIndices nanmedian(int dim, boolean keepdim) {
        return OrderStatistics.nanmedian(this, dim, keepdim);
    }

    /** {@code torch.nanmedian(x)}: the lower median of the non-NaN elements. */
    public Tensor nanmedian() {
        return OrderStatistics.nanmedian(this);
    }

    /** {@code torch.aminmax(x)}: the smallest and largest elements (NaN if any is NaN). */
    public MinMax aminmax() {
        if (numel() == 0) {
            throw new IllegalArgumentException("aminmax: cannot compute aminmax over an empty dimension as the operation has no identity");
        }
        return new MinMax(amin(new int[0], false), amax(new int[0], false));
    }

    /** {@code torch.aminmax(x, dim=dim, keepdim=keepdim)}. */
    public MinMax aminmax(int dim, boolean keepdim) {
        int d = Shapes.dim("aminmax", dim, Math.max(dim(), 1));
        if (dim() > 0 && size(d) == 0) {
            throw new IllegalArgumentException("aminmax: cannot compute aminmax over an empty dimension as the operation has no identity");
        }
        return new MinMax(amin(new int[] {d}, keepdim), amax(new int[] {d}, keepdim));
    }

    /** {@code torch.sinc}: sin(πx) / (πx), 1 at 0. */
    public Tensor sinc() {
        return ElementwiseComposites.sinc(this);
    }

    /** {@code torch.heaviside(x, values)}: values where x is 0, 1 where it is positive, else 0 (not differentiable). */
    public Tensor heaviside(Tensor values) {
        return ElementwiseComposites.heaviside(this, values);
    }

    /** {@code index_fill(dim, index, value)}: the slices along dim at index set to value. */
    public Tensor indexFill(int dim, Tensor index, double value) {
        return IndexFills.indexFill(this, dim, index, value);
    }

    /** {@code index_copy(dim, index, source)}: the slices along dim at index replaced by source's slices (index without repeats). */
    public Tensor indexCopy(int dim, Tensor index, Tensor source) {
        return IndexFills.indexCopy(this, dim, index, source);
    }

    public Tensor indexFill_(int dim, Tensor index, double value) {
        InPlace.update("index_fill_", this, t -> t.indexFill(dim, index, value));
        return this;
    }

    public Tensor indexCopy_(int dim, Tensor index, Tensor source) {
        InPlace.update("index_copy_", this, t -> t.indexCopy(dim, index, source), source);
        return this;
    }

    /** {@code torch.argwhere}: the same as {@link #nonzero()}. */
    public Tensor argwhere() {
        return nonzero();
    }

    /** {@code torch.fmax}: the elementwise larger, broadcast; a NaN is ignored unless both are NaN. */
    public Tensor fmax(Tensor other) {
        return ElementwiseComposites.nanIgnoringExtreme(this, other, true);
    }

    /** {@code torch.fmin}: the elementwise smaller; a NaN is ignored unless both are NaN. */
    public Tensor fmin(Tensor other) {
        return ElementwiseComposites.nanIgnoringExtreme(this, other, false);
    }

    /** {@code torch.logical_and}: a float32 0/1 mask of where both are nonzero (NaN counts as nonzero). */
    public Tensor logicalAnd(Tensor other) {
        return ElementwiseComposites.logical(this, other, "and");
    }

    /** {@code torch.logical_or}: a 0/1 mask of where either is nonzero. */
    public Tensor logicalOr(Tensor other) {
        return ElementwiseComposites.logical(this, other, "or");
    }

    /** {@code torch.logical_xor}: a 0/1 mask of where exactly one is nonzero. */
    public Tensor logicalXor(Tensor other) {
        return ElementwiseComposites.logical(this, other, "xor");
    }

    /** {@code torch.logical_not}: a 0/1 mask of the zeros. */
    public Tensor logicalNot() {
        return eq(0);
    }

    /** The elements where mask (broadcast with this) is nonzero, 1-d, like {@code torch.masked_select}; reads the mask back. */
    public Tensor maskedSelect(Tensor mask) {
        return Selection.maskedSelect(this, mask);
    }

    /** Counts of each value of a 1-d int64 tensor, at least minlength of them, like {@code torch.bincount}. */
    public Tensor bincount(int minlength) {
        return Selection.bincount(this, null, minlength);
    }

    /** Sums of weights per value, float32, like {@code torch.bincount(x, weights, minlength)}. */
    public Tensor bincount(Tensor weights, int minlength) {
        return Selection.bincount(this, weights, minlength);
    }

    /** value where mask (broadcast) is nonzero, this elsewhere, like {@code torch.masked_fill}. */
    public Tensor maskedFill(Tensor mask, double value) {
        return Indexing.maskedFill(this, mask, value);
    }

    // ---- reductions -----------------------------------------------------------------------

    public Tensor sum() {
        return Reductions.reduce(ReduceOp.SUM, this, Shapes.all(dim()), false);
    }

    public Tensor sum(int... dims) {
        return Reductions.reduce(ReduceOp.SUM, this, dims, false);
    }

    public Tensor sum(int[] dims, boolean keepdim) {
        return Reductions.reduce(ReduceOp.SUM, this, dims, keepdim);
    }

    /** {@code x.sum(dim, keepdim)}. */
    public Tensor sum(int dim, boolean keepdim) {
        return sum(new int[] {dim}, keepdim);
    }

    public Tensor mean() {
        return Reductions.reduce(ReduceOp.MEAN, this, Shapes.all(dim()), false);
    }

    public Tensor mean(int... dims) {
        return Reductions.reduce(ReduceOp.MEAN, this, dims, false);
    }

    public Tensor mean(int[] dims, boolean keepdim) {
        return Reductions.reduce(ReduceOp.MEAN, this, dims, keepdim);
    }

    /** {@code x.mean(dim, keepdim)}. */
    public Tensor mean(int dim, boolean keepdim) {
        return mean(new int[] {dim}, keepdim);
    }

    /** Largest element (a 0-dim tensor). */
    public Tensor max() {
        return Reductions.extreme(ReduceOp.MAX, this);
    }

    /** Largest values along dim and their indices, like {@code torch.max(x, dim)}. */
    public ValuesIndices max(int dim, boolean keepdim) {
        return Reductions.extreme(ReduceOp.MAX, this, dim, keepdim);
    }

    public Tensor min() {
        return Reductions.extreme(ReduceOp.MIN, this);
    }

    public ValuesIndices min(int dim, boolean keepdim) {
        return Reductions.extreme(ReduceOp.MIN, this, dim, keepdim);
    }

    /** Index of the largest element of the flattened tensor (int64, 0-dim). */
    public Tensor argmax() {
        return Reductions.extreme(ReduceOp.MAX, this.reshape(-1), 0, false, "argmax").indices();
    }

    public Tensor argmax(int dim, boolean keepdim) {
        return Reductions.extreme(ReduceOp.MAX, this, dim, keepdim, "argmax").indices();
    }

    public Tensor argmin() {
        return Reductions.extreme(ReduceOp.MIN, this.reshape(-1), 0, false, "argmin").indices();
    }

    public Tensor argmin(int dim, boolean keepdim) {
        return Reductions.extreme(ReduceOp.MIN, this, dim, keepdim, "argmin").indices();
    }

    /** Variance of all elements; Bessel's correction when {@code unbiased}. */
    public Tensor var(boolean unbiased) {
        return Reductions.var(this, Shapes.all(dim()), unbiased, false);
    }

    public Tensor var(int[] dims, boolean unbiased, boolean keepdim) {
        return Reductions.var(this, dims, unbiased, keepdim);
    }

    /** {@code torch.nansum}: the sum of the elements that are not NaN. */
    public Tensor nansum() {
        return NanReductions.nansum(this, new int[0], false);
    }

    public Tensor nansum(int[] dims, boolean keepdim) {
        return NanReductions.nansum(this, dims, keepdim);
    }

    /** {@code x.nansum(dim, keepdim)}. */
    public Tensor nansum(int dim, boolean keepdim) {
        return nansum(new int[] {dim}, keepdim);
    }

    /** {@code torch.nanmean}: the mean of the elements that are not NaN (NaN where all are). */
    public Tensor nanmean() {
        return NanReductions.nanmean(this, new int[0], false);
    }

    public Tensor nanmean(int[] dims, boolean keepdim) {
        return NanReductions.nanmean(this, dims, keepdim);
    }

    /** {@code x.nanmean(dim, keepdim)}. */
    public Tensor nanmean(int dim, boolean keepdim) {
        return nanmean(new int[] {dim}, keepdim);
    }

    /** {@code torch.logit(x)}: log(x / (1 - x)). */
    public Tensor logit() {
        return ElementwiseComposites.logit(this, null);
    }

    /** {@code torch.logit(x, eps)}: x clamped to [eps, 1 - eps] first. */
    public Tensor logit(double eps) {
        return ElementwiseComposites.logit(this, eps);
    }

    /** {@code torch.xlogy(this, other)}: this · log(other), 0 where this is 0 (unless other is NaN). */
    public Tensor xlogy(Tensor other) {
        return ElementwiseComposites.xlogy(this, other);
    }

    /** Variance of all elements with Bessel's correction, as PyTorch's {@code var()}. */
    public Tensor var() {
        return var(true);
    }

    /** Standard deviation of all elements with Bessel's correction, as PyTorch's {@code std()}. */
    public Tensor std() {
        return std(true);
    }

    public Tensor std(boolean unbiased) {
        return Reductions.std(this, Shapes.all(dim()), unbiased, false);
    }

    public Tensor std(int[] dims, boolean unbiased, boolean keepdim) {
        return Reductions.std(this, dims, unbiased, keepdim);
    }

    // ---- linear algebra, softmax, joining -------------------------------------------------

    /** {@code torch.addmm(this, mat1, mat2, beta=beta, alpha=alpha)}: beta · this + alpha · (mat1 @ mat2); beta 0 leaves this out. */
    public Tensor addmm(Tensor mat1, Tensor mat2, double beta, double alpha) {
        return LinearAlgebra.addmm(this, mat1, mat2, beta, alpha);
    }

    public Tensor addmm(Tensor mat1, Tensor mat2) {
        return addmm(mat1, mat2, 1, 1);
    }

    /** {@code torch.baddbmm(this, batch1, batch2, beta=beta, alpha=alpha)}: beta · this + alpha · (batch1 @ batch2). */
    public Tensor baddbmm(Tensor batch1, Tensor batch2, double beta, double alpha) {
        return LinearAlgebra.baddbmm(this, batch1, batch2, beta, alpha);
    }

    /** {@code torch.kron(this, other)}: the Kronecker product. */
    public Tensor kron(Tensor other) {
        return LinearAlgebra.kron(this, other);
    }

    /** Batched matrix product of two 3-d tensors with one batch size, {@code torch.bmm}. */
    public Tensor bmm(Tensor other) {
        return LinearAlgebra.bmm(this, other);
    }

    /** Matrix product of two 2-d tensors, {@code torch.mm}. */
    public Tensor mm(Tensor other) {
        return LinearAlgebra.mm(this, other);
    }

    /** Matrix-vector product, {@code torch.mv}. */
    public Tensor mv(Tensor vector) {
        return LinearAlgebra.mv(this, vector);
    }

    /** Inner product of two 1-d tensors, {@code torch.dot}. */
    public Tensor dot(Tensor other) {
        return LinearAlgebra.dot(this, other);
    }

    /** The elements (i, i + offset) of dims dim1 and dim2 as a view (last dim), {@code torch.diagonal}. */
    public Tensor diagonal(int offset, int dim1, int dim2) {
        return ViewOps.diagonal(this, offset, dim1, dim2);
    }

    public Tensor diagonal() {
        return diagonal(0, 0, 1);
    }

    /**
     * {@code torch.diag}: of a 1-d tensor, the square matrix with it on diagonal {@code offset};
     * of a 2-d one, a copy of that diagonal.
     */
    public Tensor diag(int offset) {
        if (dim() == 2) {
            return diagonal(offset, 0, 1).clone();
        }
        if (dim() != 1) {
            throw new IllegalArgumentException("diag: expected a 1-d or 2-d tensor, got shape " + Shapes.str(shape));
        }
        int n = shape[0] + Math.abs(offset);
        Tensor out = Creation.full(new int[] {n, n}, 0, dtype(), device());
        out.diagonal(offset, 0, 1).copy_(this);
        return out;
    }

    /** The sum of a matrix's diagonal, {@code torch.trace}. */
    public Tensor trace() {
        if (dim() != 2) {
            throw new IllegalArgumentException("trace: expected a 2-d matrix, got shape " + Shapes.str(shape));
        }
        return diagonal().sum();
    }

    /** {@code torch.tril_indices(row, col, offset)}: the (row, col) pairs on and below diagonal offset, row by row, as a 2 × N int64 tensor. */
    public static Tensor trilIndices(int rows, int cols, int offset) {
        return Combinatorics.triangleIndices("tril_indices", rows, cols, offset, true, Cortado.defaultDevice());
    }

    /** {@code torch.triu_indices(row, col, offset)}: the (row, col) pairs on and above diagonal offset, row by row, as a 2 × N int64 tensor. */
    public static Tensor triuIndices(int rows, int cols, int offset) {
        return Combinatorics.triangleIndices("triu_indices", rows, cols, offset, false, Cortado.defaultDevice());
    }

    /** {@code torch.block_diag(*tensors)}: the tensors (0-d as 1 × 1, 1-d as one row) along the diagonal of a zero matrix. */
    public static Tensor blockDiag(Tensor... tensors) {
        return Combinatorics.blockDiag(List.of(tensors));
    }

    /** {@code torch.cartesian_prod(*tensors)}: every tuple of one element of each 1-d tensor, a row each, the last varying fastest. */
    public static Tensor cartesianProd(Tensor... tensors) {
        return Combinatorics.cartesianProd(List.of(tensors));
    }

    /** {@code torch.combinations(x, r, with_replacement)}: the r-element combinations of a 1-d tensor's elements, a row each. */
    public Tensor combinations(int r, boolean withReplacement) {
        return Combinatorics.combinations(this, r, withReplacement);
    }

    /** {@code torch.meshgrid(*tensors, indexing)}: each 1-d tensor expanded over the grid; "ij" or "xy" indexing. */
    public static List<Tensor> meshgrid(List<Tensor> tensors, String indexing) {
        return ViewOps.meshgrid(tensors, indexing);
    }

    /** x with value written at index's positions along dim, {@code scatter(dim, index, value)}: one-hot rows, for one. */
    public Tensor scatter(int dim, Tensor index, double value) {
        return Scattering.scatter(this, dim, index, value);
    }

    /** x with src's values written at index's positions along dim, {@code scatter(dim, index, src)}; a repeated position is refused. */
    public Tensor scatter(int dim, Tensor index, Tensor src) {
        return Scattering.scatter(this, dim, index, src);
    }

    /** alpha · source's slice i added at position index[i] along dim (repeats add up), {@code index_add}. */
    public Tensor indexAdd(int dim, Tensor index, Tensor source, double alpha) {
        return Scattering.indexAdd(this, dim, index, source, alpha);
    }

    /** The outer product of two 1-D tensors, {@code torch.outer}. */
    public Tensor outer(Tensor other) {
        return LinearAlgebra.outer(this, other);
    }

    /** Matrix product with PyTorch's {@code matmul} rules (1-D operands, broadcast batch dims). */
    public Tensor matmul(Tensor other) {
        return LinearAlgebra.matmul(this, other);
    }

    public Tensor softmax(int dim) {
        return Pointwise.softmax(this, dim, false);
    }

    public Tensor logSoftmax(int dim) {
        return Pointwise.softmax(this, dim, true);
    }

    public static Tensor cat(List<Tensor> tensors, int dim) {
        return Joining.cat(tensors, dim);
    }

    public static Tensor stack(List<Tensor> tensors, int dim) {
        return Joining.stack(tensors, dim);
    }

    /**
     * Pads the last dims like {@code torch.nn.functional.pad}: {@code pad} holds (left, right) pairs
     * starting from the last dim; negative amounts crop (constant mode).
     */
    public Tensor pad(int[] pad, PadMode mode, double value) {
        return Joining.pad(this, pad, mode, value);
    }

    public Tensor pad(int... pad) {
        return Joining.pad(this, pad, PadMode.CONSTANT, 0);
    }

    // ---- in place (for optimizers and initialisation, outside the graph) ------------------

    /** Overwrites every element with value. */
    public Tensor fill_(double value) {
        InPlace.fill("fill_", this, value);
        return this;
    }

    /** max(x, 0) written into this tensor, like {@code torch.relu_}; recorded by autograd where this requires grad. */
    public Tensor relu_() {
        InPlace.relu("relu_", this);
        return this;
    }

    public Tensor zero_() {
        return fill_(0);
    }

    /** Copies src (broadcast to this shape) into this tensor. */
    public Tensor copy_(Tensor src) {
        InPlace.copy("copy_", this, src);
        return this;
    }

    /** this += other (broadcast to this shape). */
    public Tensor add_(Tensor other) {
        InPlace.binary("add_", BinaryOp.ADD, this, other);
        return this;
    }

    public Tensor add_(Tensor other, double alpha) {
        InPlace.binary("add_", BinaryOp.ADD, this, alpha == 1 ? other : other.mul(alpha));
        return this;
    }

    public Tensor sub_(Tensor other) {
        InPlace.binary("sub_", BinaryOp.SUB, this, other);
        return this;
    }

    public Tensor mul_(double factor) {
        InPlace.binaryScalar("mul_", BinaryOp.MUL, this, factor);
        return this;
    }

    /** this += other, like {@code tensor.add_(scalar)}. */
    public Tensor add_(double other) {
        InPlace.binaryScalar("add_", BinaryOp.ADD, this, other);
        return this;
    }

    /** this -= other, like {@code tensor.sub_(scalar)}. */
    public Tensor sub_(double other) {
        InPlace.binaryScalar("sub_", BinaryOp.SUB, this, other);
        return this;
    }

    /** this /= other (broadcast to this shape). */
    public Tensor div_(Tensor other) {
        InPlace.binary("div_", BinaryOp.DIV, this, other);
        return this;
    }

    /** this /= divisor, like {@code tensor.div_(scalar)}. */
    public Tensor div_(double divisor) {
        InPlace.binaryScalar("div_", BinaryOp.DIV, this, divisor);
        return this;
    }

    /**
     * Overwrites every element with 1 (probability p) or 0, like {@code tensor.bernoulli_(p)};
     * float32 only. The draws come from the default generator ({@link Cortado#manualSeed}) and
     * are the same on every device.
     */
    public Tensor bernoulli_(double p) {
        Creation.bernoulli(this, p);
        return this;
    }

    public Tensor mul_(Tensor other) {
        InPlace.binary("mul_", BinaryOp.MUL, this, other);
        return this;
    }

    // In-place twins of elementwise ops, as PyTorch's trailing-underscore methods: the result is
    // written back (and recorded by autograd where this tensor or an operand requires grad).

    public Tensor abs_() {
        InPlace.update("abs_", this, Tensor::abs);
        return this;
    }

    public Tensor neg_() {
        InPlace.update("neg_", this, Tensor::neg);
        return this;
    }

    public Tensor sign_() {
        InPlace.update("sign_", this, Tensor::sign);
        return this;
    }

    public Tensor exp_() {
        InPlace.update("exp_", this, Tensor::exp);
        return this;
    }

    public Tensor log_() {
        InPlace.update("log_", this, Tensor::log);
        return this;
    }

    public Tensor sqrt_() {
        InPlace.update("sqrt_", this, Tensor::sqrt);
        return this;
    }

    public Tensor rsqrt_() {
        InPlace.update("rsqrt_", this, Tensor::rsqrt);
        return this;
    }

    public Tensor reciprocal_() {
        InPlace.update("reciprocal_", this, Tensor::reciprocal);
        return this;
    }

    public Tensor square_() {
        InPlace.update("square_", this, Tensor::square);
        return this;
    }

    public Tensor pow_(double exponent) {
        InPlace.update("pow_", this, t -> t.pow(exponent));
        return this;
    }

    public Tensor pow_(Tensor exponent) {
        InPlace.update("pow_", this, t -> t.pow(exponent), exponent);
        return this;
    }

    public Tensor sigmoid_() {
        InPlace.update("sigmoid_", this, Tensor::sigmoid);
        return this;
    }

    public Tensor tanh_() {
        InPlace.update("tanh_", this, Tensor::tanh);
        return this;
    }

    public Tensor sin_() {
        InPlace.update("sin_", this, Tensor::sin);
        return this;
    }

    public Tensor cos_() {
        InPlace.update("cos_", this, Tensor::cos);
        return this;
    }

    public Tensor erf_() {
        InPlace.update("erf_", this, Tensor::erf);
        return this;
    }

    public Tensor expm1_() {
        InPlace.update("expm1_", this, Tensor::expm1);
        return this;
    }

    public Tensor log1p_() {
        InPlace.update("log1p_", this, Tensor::log1p);
        return this;
    }

    public Tensor floor_() {
        InPlace.update("floor_", this, Tensor::floor);
        return this;
    }

    public Tensor ceil_() {
        InPlace.update("ceil_", this, Tensor::ceil);
        return this;
    }

    public Tensor round_() {
        InPlace.update("round_", this, Tensor::round);
        return this;
    }

    public Tensor trunc_() {
        InPlace.update("trunc_", this, Tensor::trunc);
        return this;
    }

    public Tensor clamp_(double min, double max) {
        InPlace.update("clamp_", this, t -> t.clamp(min, max));
        return this;
    }

    public Tensor clampMin_(double min) {
        InPlace.update("clamp_min_", this, t -> t.clampMin(min));
        return this;
    }

    public Tensor clampMax_(double max) {
        InPlace.update("clamp_max_", this, t -> t.clampMax(max));
        return this;
    }

    public Tensor clip_(double min, double max) {
        return clamp_(min, max);
    }

    public Tensor nanToNum_() {
        InPlace.update("nan_to_num_", this, Tensor::nanToNum);
        return this;
    }

    public Tensor fmod_(double other) {
        InPlace.update("fmod_", this, t -> t.fmod(other));
        return this;
    }

    public Tensor remainder_(double other) {
        InPlace.update("remainder_", this, t -> t.remainder(other));
        return this;
    }

    public Tensor lerp_(Tensor end, double weight) {
        InPlace.update("lerp_", this, t -> t.lerp(end, weight), end);
        return this;
    }

    public Tensor addcmul_(Tensor t1, Tensor t2, double value) {
        InPlace.update("addcmul_", this, t -> t.addcmul(t1, t2, value), t1, t2);
        return this;
    }

    public Tensor addcdiv_(Tensor t1, Tensor t2, double value) {
        InPlace.update("addcdiv_", this, t -> t.addcdiv(t1, t2, value), t1, t2);
        return this;
    }

    /** {@code masked_fill_(mask, value)}: value where mask (broadcast to this shape) is nonzero. */
    public Tensor maskedFill_(Tensor mask, double value) {
        InPlace.update("masked_fill_", this, t -> t.maskedFill(mask, value));
        return this;
    }

    /** {@code scatter_(dim, index, value)}: value at the positions index names along dim (a one-hot encoding's {@code scatter_(1, y, 1)}). */
    public Tensor scatter_(int dim, Tensor index, double value) {
        InPlace.update("scatter_", this, t -> t.scatter(dim, index, value));
        return this;
    }

    public Tensor scatter_(int dim, Tensor index, Tensor src) {
        InPlace.update("scatter_", this, t -> t.scatter(dim, index, src), src);
        return this;
    }

    public Tensor scatterAdd_(int dim, Tensor index, Tensor src) {
        InPlace.update("scatter_add_", this, t -> t.scatterAdd(dim, index, src), src);
        return this;
    }

    public Tensor indexAdd_(int dim, Tensor index, Tensor source, double alpha) {
        InPlace.update("index_add_", this, t -> t.indexAdd(dim, index, source, alpha), source);
        return this;
    }

    public Tensor tril_(int diagonal) {
        InPlace.update("tril_", this, t -> t.tril(diagonal));
        return this;
    }

    public Tensor triu_(int diagonal) {
        InPlace.update("triu_", this, t -> t.triu(diagonal));
        return this;
    }

    /** {@code uniform_(from, to)}: values drawn uniformly from [from, to) by the default generator. */
    public Tensor uniform_(double from, double to) {
        return uniform_(from, to, Cortado.defaultGenerator());
    }

    /** As {@link #uniform_(double, double)}, from the given generator (nn.init's draws are these). */
    public Tensor uniform_(double from, double to, Generator gen) {
        if (dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("uniform_: draws floats; this tensor is " + dtype());
        }
        if (!(from <= to) || Double.isInfinite(to - from)) {
            throw new IllegalArgumentException("uniform_: expects a finite [from, to) range with from <= to, got from=" + from + ", to=" + to);
        }
        float[] u = gen.uniform(numel(), from, to);
        // The draws need no graph; copy_ makes the checks (and the record) of an in-place write.
        return copy_(Creation.fromFloats(u, shape, device()));
    }

    /** {@code normal_(mean, std)}: values drawn from N(mean, std²) by the default generator. */
    public Tensor normal_(double mean, double std) {
        return normal_(mean, std, Cortado.defaultGenerator());
    }

    /** As {@link #normal_(double, double)}, from the given generator. */
    public Tensor normal_(double mean, double std, Generator gen) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal_: expects std >= 0.0, but found std " + std);
        }
        if (dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("normal_: draws floats; this tensor is " + dtype());
        }
        float[] n = gen.normal(numel(), mean, std, isContiguous());
        return copy_(Creation.fromFloats(n, shape, device()));
    }

    /** {@code exponential_(lambd)}: Exp(lambd) draws, −log(1 − u) / lambd of PyTorch's double uniforms. */
    public Tensor exponential_(double lambd) {
        if (!(lambd > 0)) {
            throw new IllegalArgumentException("exponential_: expects lambda > 0.0, but found lambda=" + lambd);
        }
        return fillDraws("exponential_", g -> -1.0 / lambd * Math.log(1.0 - g.nextDouble()));
    }

    /** {@code geometric_(p)}: the trial of the first success, ⌈log u / log(1 − p)⌉ of PyTorch's double uniforms. */
    public Tensor geometric_(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("geometric_: expects p to be in (0, 1), but got p=" + p);
        }
        return fillDraws("geometric_", g -> Math.ceil(Math.log(g.nextDouble()) / Math.log1p(-p)));
    }

    /** {@code cauchy_(median, sigma)}: median + sigma · tan(π (u − ½)) of PyTorch's double uniforms. */
    public Tensor cauchy_(double median, double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("cauchy_: expects sigma > 0.0, but found sigma=" + sigma);
        }
        return fillDraws("cauchy_", g -> median + sigma * Math.tan(Math.PI * (g.nextDouble() - 0.5)));
    }

    /** {@code log_normal_(mean, std)}: exp of N(mean, std²) draws taken one at a time, as PyTorch's. */
    public Tensor logNormal_(double mean, double std) {
        if (!(std > 0)) {
            throw new IllegalArgumentException("log_normal_: expects std > 0.0, but found std=" + std);
        }
        return fillDraws("log_normal_", g -> Math.exp(g.nextNormal() * std + mean));
    }

    /** {@code random_(from, to)}: integers in [from, to), each PyTorch's remainder of one word (two above 2³²); float32 or int64. */
    public Tensor random_(long from, long to) {
        if (from >= to) {
            throw new IllegalArgumentException("random_: expects 'from' to be less than 'to', but got from=" + from + " >= to=" + to);
        }
        Generator gen = Cortado.defaultGenerator();
        long[] v = new long[numel()];
        synchronized (gen) {
            for (int i = 0; i < v.length; i++) {
                v[i] = from + gen.nextLong(to - from);
            }
        }
        Tensor drawn = Creation.fromLongs(v, shape, device());
        return copy_(dtype() == DType.INT64 ? drawn : drawn.to(dtype()));
    }

    /** Fills a float32 tensor with one draw per element, in order, from the default generator. */
    private Tensor fillDraws(String op, java.util.function.ToDoubleFunction<Generator> draw) {
        if (dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": draws floats; this tensor is " + dtype());
        }
        Generator gen = Cortado.defaultGenerator();
        float[] v = new float[numel()];
        synchronized (gen) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) draw.applyAsDouble(gen);
            }
        }
        return copy_(Creation.fromFloats(v, shape, device()));
    }

    /**
     * Makes this tensor view {@code source}'s storage with its shape, strides and offset, like
     * PyTorch's {@code set_}: how a module moves its parameters to another device or dtype while
     * every reference to them (an optimizer's, a layer's field) stays valid. Leaves only.
     */
    public Tensor set_(Tensor source) {
        InPlace.check("set_", this);
        if (gradFn != null) {
            throw new IllegalStateException("set_: only leaf tensors can be re-pointed; this one comes from " + gradFn.name());
        }
        if (source.dtype() != dtype()) {
            throw new IllegalArgumentException("set_: source dtype " + source.dtype() + " differs from " + dtype());
        }
        storage = source.storage;
        MemoryScope.keep(this);
        shape = source.shape.clone();
        strides = source.strides.clone();
        offset = source.offset;
        return this;
    }

    // ---- printing -------------------------------------------------------------------------

    @Override
    public String toString() {
        return TensorFormatter.format(this);
    }
}
