// libcublas.so.13 for a machine without a GPU: the handle calls Cortado makes and
// cublasSgemmStridedBatched by its definition (column-major, double accumulation), with cuBLAS's
// argument checks and each operand inside one device allocation (the reason of a failure is in
// cublasGetStatusString's text). libcublasLt.so.13 is this file built with FAKE_CUBLAS_LT: only
// its name.

#include <cstdio>
#include <string>

#include "fake_device_memory.h"
#include "fake_faults.h"

extern "C" {

#ifdef FAKE_CUBLAS_LT

int cublasLtGetVersion_fake() {
    return 0;
}

#else

FAKE_FAIL_SETTER(cublasFakeFail)

enum { SUCCESS = 0, NOT_INITIALIZED = 1, INVALID_VALUE = 7 };

struct Handle {
    int math;
};

int cublasCreate_v2(Handle** h) {
    *h = new Handle{0};
    return SUCCESS;
}

int cublasDestroy_v2(Handle* h) {
    delete h;
    return SUCCESS;
}

int cublasSetStream_v2(Handle*, void*) {
    return SUCCESS;
}

int cublasSetMathMode(Handle* h, int mode) {
    if (h == nullptr) {
        return NOT_INITIALIZED;
    }
    if (mode != 0 && mode != 3) {  // CUBLAS_DEFAULT_MATH, CUBLAS_TF32_TENSOR_OP_MATH
        return INVALID_VALUE;
    }
    h->math = mode;
    return SUCCESS;
}

int cublasGetVersion_v2(Handle*, int* v) {
    *v = 130100;
    return SUCCESS;
}

// Why the last call on this thread failed, beyond its status, for cublasGetStatusString.
thread_local std::string failure;

const char* cublasGetStatusString(int status) {
    static thread_local std::string s;
    s = "fake cublas status " + std::to_string(status) + (failure.empty() ? "" : ": " + failure);
    return s.c_str();
}

// A column-major rows × cols operand with leading dimension ld, batch times stride apart, must lie
// inside one device allocation.
static bool operand_on_device(const char* name, const float* p, int rows, int cols, int ld, long long stride, int batch) {
    if (rows == 0 || cols == 0 || batch == 0) {
        return true;
    }
    long long elements = (long long) (batch - 1) * stride + (long long) (cols - 1) * ld + rows;
    if (stride < 0 || !fake::on_device(p, (size_t) elements * sizeof(float))) {
        failure = std::string(name) + " (" + std::to_string(elements) + " floats) does not lie inside one device allocation";
        return false;
    }
    return true;
}

int cublasSgemmStridedBatched(Handle* h, int transa, int transb, int m, int n, int k, const float* alpha, const float* a, int lda,
                              long long strideA, const float* b, int ldb, long long strideB, const float* beta, float* c, int ldc,
                              long long strideC, int batch) {
    failure.clear();
    if (int s = fake::injected("cublasSgemmStridedBatched")) {
        return s;
    }
    if (h == nullptr) {
        return NOT_INITIALIZED;
    }
    int rowsA = transa ? k : m;
    int rowsB = transb ? n : k;
    if (m < 0 || n < 0 || k < 0 || batch < 0 || (transa != 0 && transa != 1) || (transb != 0 && transb != 1) || lda < (rowsA > 1 ? rowsA : 1)
        || ldb < (rowsB > 1 ? rowsB : 1) || ldc < (m > 1 ? m : 1)) {
        return INVALID_VALUE;
    }
    if (!operand_on_device("A", a, rowsA, transa ? m : k, lda, strideA, batch) || !operand_on_device("B", b, rowsB, transb ? k : n, ldb, strideB, batch)
        || !operand_on_device("C", c, m, n, ldc, strideC, batch)) {
        return INVALID_VALUE;
    }
    for (int p = 0; p < batch; p++) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double acc = 0;
                for (int l = 0; l < k; l++) {
                    float x = a[p * strideA + (transa ? l + (long long) i * lda : i + (long long) l * lda)];
                    float y = b[p * strideB + (transb ? j + (long long) l * ldb : l + (long long) j * ldb)];
                    acc += (double) x * y;
                }
                float* out = c + p * strideC + i + (long long) j * ldc;
                *out = (float) (*alpha * acc + (*beta == 0 ? 0.0 : (double) *beta * *out));
            }
        }
    }
    return SUCCESS;
}

#endif

}  // extern "C"
