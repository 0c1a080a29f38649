package dev.cortado.cuda.driver;

import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdDataAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdFilterAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionFwdAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.FloatPointer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntUnaryOperator;

/**
 * cuDNN convolutions: descriptors built once per shape, the fastest algorithm of each direction
 * measured once with cuDNN's find API and cached, workspaces lent by the caching allocator. One
 * thread at a time uses the handle, as cuDNN requires of a handle shared by threads: the three
 * directions hold this object's lock, which costs nothing when a single thread trains.
 */
public final class Dnn {
    /** How many algorithms the find calls may report. */
    private static final int CANDIDATES = 8;

    private final cudnnContext handle = new cudnnContext();
    private final FloatPointer one = new FloatPointer(1f);
    private final FloatPointer zero = new FloatPointer(0f);
    private final Map<ConvShape, Plan> plans = new ConcurrentHashMap<>();
    private volatile boolean tf32;
    private volatile boolean deterministic;

    public Dnn(boolean tf32, boolean deterministic) {
        Check.dnn(cudnn.cudnnCreate(handle), "cudnnCreate");
        this.tf32 = tf32;
        this.deterministic = deterministic;
    }

    public static long version() {
        return cudnn.cudnnGetVersion();
    }

    /** Switches TF32 tensor-core convolutions; plans found under the other setting are destroyed. */
    public synchronized void setTf32(boolean on) {
        if (on != tf32) {
            tf32 = on;
            forgetPlans();
        }
    }

    /** Switches to deterministic algorithms only, or back; the algorithms found under the other setting are forgotten. */
    public synchronized void setDeterministic(boolean on) {
        if (on != deterministic) {
            deterministic = on;
            forgetPlans();
        }
    }

    private void forgetPlans() {
        for (Plan p : plans.values()) {
            p.destroy();
        }
        plans.clear();
    }

    /** Descriptors and the chosen algorithm (and its workspace) of each direction; -1 until found. */
    private static final class Plan {
        final cudnnTensorStruct x = new cudnnTensorStruct();
        final cudnnTensorStruct y = new cudnnTensorStruct();
        final cudnnFilterStruct w = new cudnnFilterStruct();
        final cudnnConvolutionStruct conv = new cudnnConvolutionStruct();
        int fwd = -1;
        int bwdData = -1;
        int bwdFilter = -1;
        long fwdBytes;
        long bwdDataBytes;
        long bwdFilterBytes;

        void destroy() {
            Check.dnn(cudnn.cudnnDestroyTensorDescriptor(x), "cudnnDestroyTensorDescriptor");
            Check.dnn(cudnn.cudnnDestroyTensorDescriptor(y), "cudnnDestroyTensorDescriptor");
            Check.dnn(cudnn.cudnnDestroyFilterDescriptor(w), "cudnnDestroyFilterDescriptor");
            Check.dnn(cudnn.cudnnDestroyConvolutionDescriptor(conv), "cudnnDestroyConvolutionDescriptor");
        }
    }

    private Plan plan(ConvShape s) {
        return plans.computeIfAbsent(s, k -> {
            Plan p = new Plan();
            Check.dnn(cudnn.cudnnCreateTensorDescriptor(p.x), "cudnnCreateTensorDescriptor");
            Check.dnn(cudnn.cudnnCreateTensorDescriptor(p.y), "cudnnCreateTensorDescriptor");
            Check.dnn(cudnn.cudnnCreateFilterDescriptor(p.w), "cudnnCreateFilterDescriptor");
            Check.dnn(cudnn.cudnnCreateConvolutionDescriptor(p.conv), "cudnnCreateConvolutionDescriptor");
            Check.dnn(cudnn.cudnnSetTensor4dDescriptor(p.x, cudnn.CUDNN_TENSOR_NCHW, cudnn.CUDNN_DATA_FLOAT, s.n(), s.c(), s.h(), s.w()),
                    "cudnnSetTensor4dDescriptor(x " + s + ")");
            Check.dnn(cudnn.cudnnSetTensor4dDescriptor(p.y, cudnn.CUDNN_TENSOR_NCHW, cudnn.CUDNN_DATA_FLOAT, s.n(), s.k(), s.outH(), s.outW()),
                    "cudnnSetTensor4dDescriptor(y " + s + ")");
            Check.dnn(cudnn.cudnnSetFilter4dDescriptor(p.w, cudnn.CUDNN_DATA_FLOAT, cudnn.CUDNN_TENSOR_NCHW, s.k(), s.c() / s.groups(), s.r(),
                    s.s()), "cudnnSetFilter4dDescriptor(" + s + ")");
            Check.dnn(cudnn.cudnnSetConvolution2dDescriptor(p.conv, s.padH(), s.padW(), s.strideH(), s.strideW(), s.dilationH(),
                    s.dilationW(), cudnn.CUDNN_CROSS_CORRELATION, cudnn.CUDNN_DATA_FLOAT), "cudnnSetConvolution2dDescriptor(" + s + ")");
            Check.dnn(cudnn.cudnnSetConvolutionGroupCount(p.conv, s.groups()), "cudnnSetConvolutionGroupCount");
            // FMA math keeps float32 accuracy; the default would let Ampere and later use TF32.
            Check.dnn(cudnn.cudnnSetConvolutionMathType(p.conv, tf32 ? cudnn.CUDNN_DEFAULT_MATH : cudnn.CUDNN_FMA_MATH),
                    "cudnnSetConvolutionMathType");
            return p;
        });
    }

    /** Runs a find call, and once more after emptying the allocator's cache when cuDNN ran out of memory. */
    private static void find(Scratch scratch, String call, java.util.function.IntSupplier findCall) {
        int status = findCall.getAsInt();
        if (status == cudnn.CUDNN_STATUS_ALLOC_FAILED) {
            scratch.emptyCache();
            status = findCall.getAsInt();
        }
        Check.dnn(status, call);
    }

    /**
     * Which of the find call's results (fastest first) to run: the fastest measured under the
     * descriptor's own math type, else the fastest other usable one; -1 if none. A find call also
     * times each algorithm under CUDNN_DEFAULT_MATH, which lets Ampere and later GPUs use TF32,
     * so such a time can promise a speed that the FMA math of the actual runs does not reach.
     * While deterministic, only results cuDNN marks CUDNN_DETERMINISTIC are usable.
     */
    private int choose(int returned, IntUnaryOperator status, IntUnaryOperator mathType, IntUnaryOperator determinism) {
        return choose(tf32, deterministic, returned, status, mathType, determinism);
    }

    /** {@link #choose(int, IntUnaryOperator, IntUnaryOperator, IntUnaryOperator)} with the settings given: tensor-op math only with TF32 on. */
    static int choose(boolean tf32, boolean deterministic, int returned, IntUnaryOperator status, IntUnaryOperator mathType,
                      IntUnaryOperator determinism) {
        int own = tf32 ? cudnn.CUDNN_DEFAULT_MATH : cudnn.CUDNN_FMA_MATH;
        int fallback = -1;
        for (int i = 0; i < returned; i++) {
            int math = mathType.applyAsInt(i);
            boolean tensorOps = math == cudnn.CUDNN_TENSOR_OP_MATH || math == cudnn.CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION;
            boolean repeatable = !deterministic || determinism.applyAsInt(i) == cudnn.CUDNN_DETERMINISTIC;
            if (status.applyAsInt(i) == cudnn.CUDNN_STATUS_SUCCESS && (tf32 || !tensorOps) && repeatable) {
                if (tf32 || math == own) {
                    return i;
                }
                if (fallback < 0) {
                    fallback = i;
                }
            }
        }
        return fallback;
    }

    public synchronized void forward(ConvShape s, long x, long w, long y, Scratch scratch) {
        Plan p = plan(s);
        if (p.fwd < 0) {
            try (var perf = new cudnnConvolutionFwdAlgoPerf_t(CANDIDATES)) {
                int[] returned = new int[1];
                find(scratch, "cudnnFindConvolutionForwardAlgorithm(" + s + ")",
                        () -> cudnn.cudnnFindConvolutionForwardAlgorithm(handle, p.x, p.w, p.conv, p.y, CANDIDATES, returned, perf));
                int i = choose(returned[0], k -> perf.getPointer(k).status(), k -> perf.getPointer(k).mathType(),
                        k -> perf.getPointer(k).determinism());
                if (i >= 0) {
                    p.fwdBytes = perf.getPointer(i).memory();
                    p.fwd = perf.getPointer(i).algo();
                }
            }
            if (p.fwd < 0) {
                throw new CudaException("cuDNN found no float32 " + (deterministic ? "deterministic " : "") + "forward algorithm for " + s);
            }
        }
        try (Scratch.Buffer ws = scratch.get(p.fwdBytes)) {
            Check.dnn(cudnn.cudnnConvolutionForward(handle, one, p.x, new Address(x), p.w, new Address(w), p.conv, p.fwd,
                    new Address(ws.address()), p.fwdBytes, zero, p.y, new Address(y)), "cudnnConvolutionForward(" + s + ")");
        }
    }

    public synchronized void backwardData(ConvShape s, long dy, long w, long dx, Scratch scratch) {
        Plan p = plan(s);
        if (p.bwdData < 0) {
            try (var perf = new cudnnConvolutionBwdDataAlgoPerf_t(CANDIDATES)) {
                int[] returned = new int[1];
                find(scratch, "cudnnFindConvolutionBackwardDataAlgorithm(" + s + ")",
                        () -> cudnn.cudnnFindConvolutionBackwardDataAlgorithm(handle, p.w, p.y, p.conv, p.x, CANDIDATES, returned, perf));
                int i = choose(returned[0], k -> perf.getPointer(k).status(), k -> perf.getPointer(k).mathType(),
                        k -> perf.getPointer(k).determinism());
                if (i >= 0) {
                    p.bwdDataBytes = perf.getPointer(i).memory();
                    p.bwdData = perf.getPointer(i).algo();
                }
            }
            if (p.bwdData < 0) {
                throw new CudaException("cuDNN found no float32 " + (deterministic ? "deterministic " : "") + "backward-data algorithm for " + s);
            }
        }
        try (Scratch.Buffer ws = scratch.get(p.bwdDataBytes)) {
            Check.dnn(cudnn.cudnnConvolutionBackwardData(handle, one, p.w, new Address(w), p.y, new Address(dy), p.conv, p.bwdData,
                    new Address(ws.address()), p.bwdDataBytes, zero, p.x, new Address(dx)), "cudnnConvolutionBackwardData(" + s + ")");
        }
    }

    public synchronized void backwardFilter(ConvShape s, long x, long dy, long dw, Scratch scratch) {
        Plan p = plan(s);
        if (p.bwdFilter < 0) {
            try (var perf = new cudnnConvolutionBwdFilterAlgoPerf_t(CANDIDATES)) {
                int[] returned = new int[1];
                find(scratch, "cudnnFindConvolutionBackwardFilterAlgorithm(" + s + ")",
                        () -> cudnn.cudnnFindConvolutionBackwardFilterAlgorithm(handle, p.x, p.y, p.conv, p.w, CANDIDATES, returned, perf));
                int i = choose(returned[0], k -> perf.getPointer(k).status(), k -> perf.getPointer(k).mathType(),
                        k -> perf.getPointer(k).determinism());
                if (i >= 0) {
                    p.bwdFilterBytes = perf.getPointer(i).memory();
                    p.bwdFilter = perf.getPointer(i).algo();
                }
            }
            if (p.bwdFilter < 0) {
                throw new CudaException("cuDNN found no float32 " + (deterministic ? "deterministic " : "") + "backward-filter algorithm for " + s);
            }
        }
        try (Scratch.Buffer ws = scratch.get(p.bwdFilterBytes)) {
            Check.dnn(cudnn.cudnnConvolutionBackwardFilter(handle, one, p.x, new Address(x), p.y, new Address(dy), p.conv, p.bwdFilter,
                    new Address(ws.address()), p.bwdFilterBytes, zero, p.w, new Address(dw)), "cudnnConvolutionBackwardFilter(" + s + ")");
        }
    }
}
