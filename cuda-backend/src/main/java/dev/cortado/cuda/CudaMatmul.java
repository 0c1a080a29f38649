package dev.cortado.cuda;

import dev.cortado.backend.MatmulDims;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batched row-major products on cuBLAS. cuBLAS is column-major, and a row-major C = A·B is the
 * column-major Cᵀ = Bᵀ·Aᵀ, so the operands go in swapped; a transposed view is read through the
 * transpose flag instead of being copied. Only views that neither layout fits (or whose batch
 * dims do not collapse into one stride) are gathered into a contiguous temporary first.
 */
final class CudaMatmul {
    private final CudaDevice device;
    private final CudaBackend backend;
    private final List<CachingAllocator.Block> temporaries = new ArrayList<>();

    CudaMatmul(CudaDevice device, CudaBackend backend) {
        this.device = device;
        this.backend = backend;
    }

    /** One operand as cuBLAS will read it: address, layout and batch stride (elements). */
    private record Operand(long address, GemmOperand layout, long batchStride) {
    }

    private Operand operand(Tensor t, int rows, int cols) {
        int r = t.dim();
        int[] strides = t.strides();
        GemmOperand layout = GemmOperand.of(rows, cols, strides[r - 2], strides[r - 1]);
        Long batch = GemmOperand.batchStride(Arrays.copyOf(t.shape(), r - 2), Arrays.copyOf(strides, r - 2));
        if (layout != null && batch != null) {
            return new Operand(backend.firstAddress(t), layout, batch);
        }
        CachingAllocator.Block tmp = backend.gather(device, t);
        temporaries.add(tmp);
        return new Operand(tmp.address(), new GemmOperand(true, Math.max(1, cols)), (long) rows * cols);
    }

    void run(Tensor out, Tensor a, Tensor b) {
        MatmulDims dims = MatmulDims.of(out, a);
        if (dims.empty()) {
            return;
        }
        int m = dims.m();
        int n = dims.n();
        int k = dims.k();
        int batches = dims.batches();
        if (k == 0) {
            backend.fill(out, 0);
            return;
        }
        try {
            Operand oa = operand(a, m, k);
            Operand ob = operand(b, k, n);
            // Column-major view of row-major C (m × n, ld n) is Cᵀ (n × m): Cᵀ = Bᵀ · Aᵀ.
            // A row-major operand read by cuBLAS is its transpose already, so it needs no flag.
            device.runtime.sgemmStridedBatched(!ob.layout().rowMajor(), !oa.layout().rowMajor(), n, m, k,
                    ob.address(), ob.layout().ld(), ob.batchStride(), oa.address(), oa.layout().ld(), oa.batchStride(),
                    backend.firstAddress(out), n, (long) m * n, batches);
        } finally {
            for (CachingAllocator.Block t : temporaries) {
                device.allocator.free(t, false);
            }
            temporaries.clear();
        }
    }
}
