// cuDNN 9's libraries for a machine without a GPU, one per build flag (FAKE_CUDNN_GRAPH, _OPS,
// _CNN, _ADV), each with the calls Cortado makes from it: NCHW float32 descriptors and the three
// convolution passes by their definition (cross-correlation with padding, stride, dilation and
// groups; double accumulation; alpha and beta), with cuDNN's checks of shapes and workspace, and
// every operand inside one device allocation (a failure names the operand on stderr). The
// find calls report two algorithms: algorithm 1, timed under default math (TF32 allowed), then
// algorithm 0 under FMA math, which needs a 4 KB workspace; the other needs 1 MB.

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "fake_device_memory.h"
#include "fake_faults.h"

namespace {

enum { SUCCESS = 0, BAD_PARAM = 2000, NOT_SUPPORTED = 3000 };

struct Tensor4d {
    int n, c, h, w;
};

struct Filter4d {
    int k, c, r, s;
};

struct Conv {
    int ph, pw, sh, sw, dh, dw, groups, math;
};

struct Perf {
    int algo;
    int status;
    float time;
    size_t memory;
    int determinism;
    int mathType;
    int reserved[3];
};

// A tensor's or filter's four sizes: NCHW float32 only, every size at least 1 (as cuDNN's own
// checks; Cortado never hands cuDNN an empty convolution).
template <typename D>
int set4d(D* d, int format, int type, int a, int b, int c, int e) {
    if (format != 0 || type != 0) {
        return NOT_SUPPORTED;
    }
    if (a < 1 || b < 1 || c < 1 || e < 1) {
        return BAD_PARAM;
    }
    *d = {a, b, c, e};
    return SUCCESS;
}

size_t workspace_of(int algo) {
    return algo == 0 ? 4096 : 1 << 20;
}

// The shapes must agree: channels by groups, and y's size from x's, the filter's and conv's.
bool consistent(const Tensor4d* x, const Filter4d* f, const Conv* cv, const Tensor4d* y) {
    if (x == nullptr || f == nullptr || cv == nullptr || y == nullptr || cv->groups < 1 || x->c != f->c * cv->groups
        || f->k % cv->groups != 0 || y->n != x->n || y->c != f->k) {
        return false;
    }
    int oh = (x->h + 2 * cv->ph - cv->dh * (f->r - 1) - 1) / cv->sh + 1;
    int ow = (x->w + 2 * cv->pw - cv->dw * (f->s - 1) - 1) / cv->sw + 1;
    return y->h == oh && y->w == ow;
}

// Calls visit(xIndex, wIndex, yIndex) for every product term of the convolution.
template <typename F>
void each_term(const Tensor4d* x, const Filter4d* f, const Conv* cv, const Tensor4d* y, F visit) {
    int cpg = f->c;
    int kpg = f->k / cv->groups;
    for (int n = 0; n < x->n; n++) {
        for (int k = 0; k < f->k; k++) {
            int g = k / kpg;
            for (int oy = 0; oy < y->h; oy++) {
                for (int ox = 0; ox < y->w; ox++) {
                    long long yi = (((long long) n * y->c + k) * y->h + oy) * y->w + ox;
                    for (int c = 0; c < cpg; c++) {
                        for (int i = 0; i < f->r; i++) {
                            int iy = oy * cv->sh - cv->ph + i * cv->dh;
                            if (iy < 0 || iy >= x->h) continue;
                            for (int j = 0; j < f->s; j++) {
                                int ix = ox * cv->sw - cv->pw + j * cv->dw;
                                if (ix < 0 || ix >= x->w) continue;
                                long long xi = (((long long) n * x->c + g * cpg + c) * x->h + iy) * x->w + ix;
                                long long wi = (((long long) k * cpg + c) * f->r + i) * f->s + j;
                                visit(xi, wi, yi);
                            }
                        }
                    }
                }
            }
        }
    }
}

void store(float* out, const std::vector<double>& acc, float alpha, float beta) {
    for (size_t i = 0; i < acc.size(); i++) {
        out[i] = (float) (alpha * acc[i] + (beta == 0 ? 0.0 : (double) beta * out[i]));
    }
}

// A workspace must be as large as the algorithm asked for; filling it shows that it is writable.
int check_workspace(int algo, void* ws, size_t bytes) {
    if (algo != 0 && algo != 1) {
        return BAD_PARAM;
    }
    if (bytes < workspace_of(algo) || ws == nullptr) {
        return BAD_PARAM;
    }
    std::memset(ws, 0xAB, bytes);
    return SUCCESS;
}

// Whether an operand of `bytes` at p lies inside one device allocation; says which one does not.
bool operand_on_device(const char* call, const char* what, const void* p, size_t bytes) {
    if (fake::on_device(p, bytes)) {
        return true;
    }
    std::fprintf(stderr, "fake %s: %s (%zu bytes at %p) does not lie inside one device allocation\n", call, what, bytes, p);
    return false;
}

// One pass of a convolution: the checks, then term(acc, x index, w index, y index) for every
// product, into out (count elements) as alpha · acc + beta · out. px, pf and py are the memory
// that the descriptors x, f and y describe.
template <typename F>
int convolve(const char* call, const Tensor4d* x, const void* px, const Filter4d* f, const void* pf, const Conv* cv, const Tensor4d* y,
             const void* py, int algo, void* ws, size_t wsBytes, float* out, size_t count, float alpha, float beta, F term) {
    if (int s = fake::injected(call)) {
        return s;
    }
    if (!consistent(x, f, cv, y)) {
        return BAD_PARAM;
    }
    size_t fb = sizeof(float);
    if (!operand_on_device(call, "the input", px, fb * x->n * x->c * x->h * x->w)
        || !operand_on_device(call, "the filter", pf, fb * f->k * f->c * f->r * f->s)
        || !operand_on_device(call, "the output", py, fb * y->n * y->c * y->h * y->w)
        || (wsBytes > 0 && ws != nullptr && !operand_on_device(call, "the workspace", ws, wsBytes))) {
        return BAD_PARAM;
    }
    int s = check_workspace(algo, ws, wsBytes);
    if (s != SUCCESS) {
        return s;
    }
    std::vector<double> acc(count, 0.0);
    each_term(x, f, cv, y, [&](long long xi, long long wi, long long yi) { term(acc, xi, wi, yi); });
    store(out, acc, alpha, beta);
    return SUCCESS;
}

// A fault injected as "<call>.results" lets the call succeed with every algorithm it reports
// failed under that status, as cuDNN reports algorithms that cannot run the problem; one injected
// as "<call>.nondeterministic" (any status) reports every algorithm as adding in a varying order.
int find(const char* call, int requested, int* returned, Perf* perf) {
    if (int s = fake::injected(call)) {
        return s;
    }
    if (requested < 1) {
        return BAD_PARAM;
    }
    int status = fake::injected((std::string(call) + ".results").c_str());
    int deterministic = fake::injected((std::string(call) + ".nondeterministic").c_str()) == 0 ? 1 : 0;
    Perf all[2] = {{1, status, 0.5f, workspace_of(1), deterministic, 0, {0, 0, 0}},
                   {0, status, 1.0f, workspace_of(0), deterministic, 3, {0, 0, 0}}};
    *returned = requested < 2 ? requested : 2;
    std::memcpy(perf, all, sizeof(Perf) * *returned);
    return SUCCESS;
}

}  // namespace

extern "C" {

#ifdef FAKE_CUDNN_GRAPH
int cudnnCreate(void** handle) {
    *handle = new int(0);
    return SUCCESS;
}

size_t cudnnGetVersion() {
    return 91900;
}

const char* cudnnGetErrorString(int status) {
    static thread_local std::string s;
    s = "fake cudnn status " + std::to_string(status);
    return s.c_str();
}
#endif

#ifdef FAKE_CUDNN_OPS
int cudnnCreateTensorDescriptor(Tensor4d** d) {
    *d = new Tensor4d{0, 0, 0, 0};
    return SUCCESS;
}

int cudnnSetTensor4dDescriptor(Tensor4d* d, int format, int type, int n, int c, int h, int w) {
    return set4d(d, format, type, n, c, h, w);
}

int cudnnDestroyTensorDescriptor(Tensor4d* d) {
    delete d;
    return SUCCESS;
}

int cudnnCreateFilterDescriptor(Filter4d** d) {
    *d = new Filter4d{0, 0, 0, 0};
    return SUCCESS;
}

int cudnnSetFilter4dDescriptor(Filter4d* d, int type, int format, int k, int c, int r, int s) {
    return set4d(d, format, type, k, c, r, s);
}

int cudnnDestroyFilterDescriptor(Filter4d* d) {
    delete d;
    return SUCCESS;
}
#endif

#ifdef FAKE_CUDNN_CNN
FAKE_FAIL_SETTER(cudnnFakeFail)

int cudnnCreateConvolutionDescriptor(Conv** d) {
    *d = new Conv{0, 0, 1, 1, 1, 1, 1, 0};
    return SUCCESS;
}

int cudnnSetConvolution2dDescriptor(Conv* d, int ph, int pw, int sh, int sw, int dh, int dw, int mode, int computeType) {
    if (mode != 1 || computeType != 0) {  // cross-correlation, float
        return NOT_SUPPORTED;
    }
    if (ph < 0 || pw < 0 || sh < 1 || sw < 1 || dh < 1 || dw < 1) {
        return BAD_PARAM;
    }
    d->ph = ph; d->pw = pw; d->sh = sh; d->sw = sw; d->dh = dh; d->dw = dw;
    return SUCCESS;
}

int cudnnSetConvolutionGroupCount(Conv* d, int groups) {
    if (groups < 1) {
        return BAD_PARAM;
    }
    d->groups = groups;
    return SUCCESS;
}

int cudnnSetConvolutionMathType(Conv* d, int math) {
    if (math < 0 || math > 3) {
        return BAD_PARAM;
    }
    d->math = math;
    return SUCCESS;
}

int cudnnDestroyConvolutionDescriptor(Conv* d) {
    delete d;
    return SUCCESS;
}

int cudnnFindConvolutionForwardAlgorithm(void*, Tensor4d* x, Filter4d* w, Conv* cv, Tensor4d* y, int requested, int* returned, Perf* perf) {
    return consistent(x, w, cv, y) ? find("cudnnFindConvolutionForwardAlgorithm", requested, returned, perf) : BAD_PARAM;
}

int cudnnFindConvolutionBackwardDataAlgorithm(void*, Filter4d* w, Tensor4d* dy, Conv* cv, Tensor4d* dx, int requested, int* returned,
                                              Perf* perf) {
    return consistent(dx, w, cv, dy) ? find("cudnnFindConvolutionBackwardDataAlgorithm", requested, returned, perf) : BAD_PARAM;
}

int cudnnFindConvolutionBackwardFilterAlgorithm(void*, Tensor4d* x, Tensor4d* dy, Conv* cv, Filter4d* dw, int requested, int* returned,
                                                Perf* perf) {
    return consistent(x, dw, cv, dy) ? find("cudnnFindConvolutionBackwardFilterAlgorithm", requested, returned, perf) : BAD_PARAM;
}

int cudnnConvolutionForward(void*, const float* alpha, Tensor4d* xd, const float* x, Filter4d* wd, const float* w, Conv* cv, int algo,
                            void* ws, size_t wsBytes, const float* beta, Tensor4d* yd, float* y) {
    return convolve("cudnnConvolutionForward", xd, x, wd, w, cv, yd, y, algo, ws, wsBytes, y, (size_t) yd->n * yd->c * yd->h * yd->w, *alpha, *beta,
                    [&](std::vector<double>& acc, long long xi, long long wi, long long yi) { acc[yi] += (double) x[xi] * w[wi]; });
}

int cudnnConvolutionBackwardData(void*, const float* alpha, Filter4d* wd, const float* w, Tensor4d* dyd, const float* dy, Conv* cv, int algo,
                                 void* ws, size_t wsBytes, const float* beta, Tensor4d* dxd, float* dx) {
    return convolve("cudnnConvolutionBackwardData", dxd, dx, wd, w, cv, dyd, dy, algo, ws, wsBytes, dx, (size_t) dxd->n * dxd->c * dxd->h * dxd->w, *alpha, *beta,
                    [&](std::vector<double>& acc, long long xi, long long wi, long long yi) { acc[xi] += (double) dy[yi] * w[wi]; });
}

int cudnnConvolutionBackwardFilter(void*, const float* alpha, Tensor4d* xd, const float* x, Tensor4d* dyd, const float* dy, Conv* cv, int algo,
                                   void* ws, size_t wsBytes, const float* beta, Filter4d* dwd, float* dw) {
    return convolve("cudnnConvolutionBackwardFilter", xd, x, dwd, dw, cv, dyd, dy, algo, ws, wsBytes, dw, (size_t) dwd->k * dwd->c * dwd->r * dwd->s, *alpha, *beta,
                    [&](std::vector<double>& acc, long long xi, long long wi, long long yi) { acc[wi] += (double) x[xi] * dy[yi]; });
}
#endif

#ifdef FAKE_CUDNN_ADV
int cudnnAdvVersionCheck() {
    return SUCCESS;
}
#endif

}  // extern "C"
