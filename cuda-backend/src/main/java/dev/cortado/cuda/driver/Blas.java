package dev.cortado.cuda.driver;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.javacpp.FloatPointer;

/** One cuBLAS handle per device, on the default stream; float32 GEMM in column-major terms. */
public final class Blas {
    private final cublasContext handle = new cublasContext();
    // Host scalars (cuBLAS's default pointer mode), allocated once for the handle's lifetime.
    private final FloatPointer one = new FloatPointer(1f);
    private final FloatPointer zero = new FloatPointer(0f);

    public Blas(boolean tf32) {
        Check.blas(cublas.cublasCreate_v2(handle), "cublasCreate");
        setTf32(tf32);
    }

    /**
     * TF32 tensor cores round GEMM inputs to 10 mantissa bits: much faster on Ampere and later,
     * but no longer float32 results, so it is off unless asked for.
     */
    public void setTf32(boolean tf32) {
        Check.blas(cublas.cublasSetMathMode(handle, tf32 ? cublas.CUBLAS_TF32_TENSOR_OP_MATH : cublas.CUBLAS_DEFAULT_MATH),
                "cublasSetMathMode");
    }

    public int version() {
        int[] v = new int[1];
        Check.blas(cublas.cublasGetVersion_v2(handle, v), "cublasGetVersion");
        return v[0];
    }

    /**
     * C = op(A) · op(B) for {@code batch} matrices in column-major storage (cuBLAS's own terms);
     * strides are in elements, addresses in bytes.
     */
    public void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long strideA, long b, int ldb,
                                    long strideB, long c, int ldc, long strideC, int batch) {
        Check.blas(cublas.cublasSgemmStridedBatched(handle, transA ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N,
                        transB ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N, m, n, k, one, Address.floats(a), lda, strideA, Address.floats(b), ldb,
                        strideB, zero, Address.floats(c), ldc, strideC, batch),
                "cublasSgemmStridedBatched(m=" + m + ", n=" + n + ", k=" + k + ", batch=" + batch + ")");
    }
}
