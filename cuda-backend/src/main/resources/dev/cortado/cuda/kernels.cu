// Cortado's own CUDA kernels: everything that cuBLAS and cuDNN do not provide in the form the
// Backend SPI asks for. Compiled at run time by NVRTC for the device's architecture, so the file
// may use only what NVRTC builds in (no standard headers).
//
// Op codes are the ordinals of dev.cortado.backend.UnaryOp / BinaryOp / ReduceOp, mapped by
// CudaOps with exhaustive switches.

#define MAXD 8
#define BLOCK 256

// Division by a divisor fixed for the whole launch: a multiply-high, an add and a shift
// (Granlund and Montgomery; the host computes magic and shift, FastDivisor.java), where an integer
// division costs a GPU some twenty instructions, about what an elementwise kernel has to spare per
// element. Exact for 0 <= n < 2^31.
__device__ __forceinline__ int div_magic(int n, unsigned int magic, int shift) {
    return (int) ((__umulhi((unsigned int) n, magic) + (unsigned int) n) >> shift);
}

struct Divisor {
    unsigned int magic;
    int shift;
    int value;
};

__device__ __forceinline__ int div_by(int n, const Divisor& d) {
    return div_magic(n, d.magic, d.shift);
}

// A strided view: element i (row-major over shape) lives at offset + sum(index[d] * stride[d]).
// magic and shift hold each inner dim's size as a Divisor (Strided.pack). Plain ints only, so
// that the host can pass it as 2 + 4 * MAXD packed 32-bit values.
struct Lay {
    int ndim;
    int offset;
    int shape[MAXD];
    int stride[MAXD];
    unsigned int magic[MAXD];
    int shift[MAXD];
};

// Unrolled over every possible dim, so that each field is read at a constant index straight from
// the kernel's parameters: a loop bounded by ndim indexes them dynamically, which makes every
// thread copy the layouts into local memory first (ptxas: 144 to 288 bytes of stack). What is
// left of i after the inner dims is the outermost index itself, so dim 0 needs no division, and a
// contiguous operand (one merged dim) none at all.
__device__ __forceinline__ int at(const Lay& l, int i) {
    int off = l.offset;
#pragma unroll
    for (int d = MAXD - 1; d >= 1; --d) {
        if (d < l.ndim) {
            int q = div_magic(i, l.magic[d], l.shift[d]);
            off += (i - q * l.shape[d]) * l.stride[d];
            i = q;
        }
    }
    if (l.ndim > 0) {
        off += i * l.stride[0];
    }
    return off;
}

__device__ __forceinline__ float nan_f() {
    return __int_as_float(0x7fc00000);
}

__device__ __forceinline__ float neg_inf_f() {
    return __int_as_float(0xff800000);
}

__device__ __forceinline__ double neg_inf_d() {
    return __longlong_as_double(0xfff0000000000000ULL);
}

// i + step, or n where that reaches n. Sizes go up to 2^31 - 1, and a grid stride is up to 2^28:
// an int index stepped past INT_MAX would wrap to a negative one and the loop go on. The unsigned
// sum of two values below 2^31 cannot wrap.
__device__ __forceinline__ int step_to(int i, unsigned int step, int n) {
    unsigned int next = (unsigned int) i + step;
    return next < (unsigned int) n ? (int) next : n;
}

// i = start, start + step, ... while i < n.
#define STRIDED_LOOP(i, start, n, step) for (int i = (start); i < (n); i = step_to(i, (step), (n)))
#define GRID_STRIDE(i, n) STRIDED_LOOP(i, blockIdx.x * blockDim.x + threadIdx.x, n, blockDim.x * gridDim.x)

// ---- fill and copy ---------------------------------------------------------------------------

extern "C" __global__ void fill_f32(Lay o, float* out, float v, int n) {
    GRID_STRIDE(i, n) { out[at(o, i)] = v; }
}

extern "C" __global__ void fill_i64(Lay o, long long* out, long long v, int n) {
    GRID_STRIDE(i, n) { out[at(o, i)] = v; }
}

extern "C" __global__ void copy_ff(Lay o, float* out, Lay s, const float* src, int n) {
    GRID_STRIDE(i, n) { out[at(o, i)] = src[at(s, i)]; }
}

extern "C" __global__ void copy_ll(Lay o, long long* out, Lay s, const long long* src, int n) {
    GRID_STRIDE(i, n) { out[at(o, i)] = src[at(s, i)]; }
}

// Java's (long) cast of a float: NaN becomes 0 and out-of-range values saturate.
extern "C" __global__ void copy_fl(Lay o, long long* out, Lay s, const float* src, int n) {
    GRID_STRIDE(i, n) {
        float v = src[at(s, i)];
        long long r;
        if (isnan(v)) {
            r = 0;
        } else if (v >= 9.2233720368547758e18f) {
            r = 0x7fffffffffffffffLL;
        } else if (v <= -9.2233720368547758e18f) {
            r = (long long) 0x8000000000000000ULL;
        } else {
            r = (long long) v;
        }
        out[at(o, i)] = r;
    }
}

extern "C" __global__ void copy_lf(Lay o, float* out, Lay s, const long long* src, int n) {
    GRID_STRIDE(i, n) { out[at(o, i)] = (float) src[at(s, i)]; }
}

// ---- random draws ----------------------------------------------------------------------------

// dev.cortado.backend.CounterRandom bit for bit: SplitMix64's finaliser over key + (i + 1)·γ, whose
// top 24 bits make a float in [0, 1) exactly (5.9604644775390625e-8 is 2^-24). Each element depends
// only on the key and its index, so nothing is uploaded and every device draws the host's mask.
extern "C" __global__ void bernoulli_f(float* out, unsigned long long key, float p, int n) {
    GRID_STRIDE(i, n) {
        unsigned long long z = key + (unsigned long long) (i + 1) * 0x9E3779B97F4A7C15ULL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        z ^= z >> 31;
        float u = (float) (unsigned int) (z >> 40) * 5.9604644775390625e-8f;
        out[i] = u < p ? 1.f : 0.f;
    }
}

// ---- elementwise -----------------------------------------------------------------------------

// ---- special functions (the CPU backend's algorithms, SpecialFunctions.java, in double) --------

__device__ double digamma_d(double x) {
    if (isnan(x) || x == -__longlong_as_double(0x7ff0000000000000LL)) return __longlong_as_double(0x7ff8000000000000LL);
    if (x == __longlong_as_double(0x7ff0000000000000LL)) return x;
    if (x == 0.0) return copysign(__longlong_as_double(0x7ff0000000000000LL), -x);
    double result = 0.0;
    if (x < 0.0) {
        if (x == rint(x)) return __longlong_as_double(0x7ff8000000000000LL);
        double r = x - ceil(x);
        result = -3.141592653589793 / tan(3.141592653589793 * r);
        x = 1.0 - x;
    }
    while (x < 10.0) {
        result -= 1.0 / x;
        x += 1.0;
    }
    double z = 1.0 / (x * x);
    double series = z * (1.0 / 12 - z * (1.0 / 120 - z * (1.0 / 252 - z * (1.0 / 240 - z * (1.0 / 132 - z * (691.0 / 32760 - z / 12))))));
    return result + log(x) - 0.5 / x - series;
}

// Hurwitz zeta for an integer s >= 2: terms until q + k passes 9, then Euler-Maclaurin (Cephes).
__device__ double zeta_d(int s, double q) {
    const double bern[12] = {1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510,
                             43867.0 / 798, -174611.0 / 330, 854513.0 / 138, -236364091.0 / 2730};
    if (isnan(q) || q == -__longlong_as_double(0x7ff0000000000000LL)) return __longlong_as_double(0x7ff8000000000000LL);
    if (q <= 0.0 && q == rint(q)) return __longlong_as_double(0x7ff0000000000000LL);
    if (q == __longlong_as_double(0x7ff0000000000000LL)) return 0.0;
    double sum = pow(q, (double) -s);
    double a = q;
    double b = 0.0;
    int i = 0;
    while (i < 9 || a <= 9.0) {
        i++;
        a += 1.0;
        b = pow(a, (double) -s);
        sum += b;
        if (fabs(b / sum) < 1.1e-16) return sum;
    }
    double w = a;
    sum += b * w / (s - 1);
    sum -= 0.5 * b;
    double fact = 1.0;
    double rising = 1.0;
    for (int k = 0; k < 12; k++) {
        rising *= s + 2 * k;
        b /= w;
        fact *= (2 * k + 1) * (2 * k + 2);
        double t = bern[k] / fact * rising * b;
        sum += t;
        if (fabs(t / sum) < 1.1e-16) break;
        rising *= s + 2 * k + 1;
        b /= w;
    }
    return sum;
}

__device__ double polygamma_d(int n, double x) {
    double factorial = 1.0;
    for (int i = 2; i <= n; i++) factorial *= i;
    return (n % 2 == 1 ? 1.0 : -1.0) * factorial * zeta_d(n + 1, x);
}

// Giles' approximation, then Newton steps on erf (on erfc past 1/2).
__device__ double erfinv_d(double x) {
    if (isnan(x) || fabs(x) > 1.0) return __longlong_as_double(0x7ff8000000000000LL);
    if (fabs(x) == 1.0) return copysign(__longlong_as_double(0x7ff0000000000000LL), x);
    if (x == 0.0) return x;
    double w = -log((1.0 - x) * (1.0 + x));
    double p;
    if (w < 5.0) {
        w -= 2.5;
        p = 2.81022636e-08;
        p = 3.43273939e-07 + p * w;
        p = -3.5233877e-06 + p * w;
        p = -4.39150654e-06 + p * w;
        p = 0.00021858087 + p * w;
        p = -0.00125372503 + p * w;
        p = -0.00417768164 + p * w;
        p = 0.246640727 + p * w;
        p = 1.50140941 + p * w;
    } else {
        w = sqrt(w) - 3.0;
        p = -0.000200214257;
        p = 0.000100950558 + p * w;
        p = 0.00134934322 + p * w;
        p = -0.00367342844 + p * w;
        p = 0.00573950773 + p * w;
        p = -0.0076224613 + p * w;
        p = 0.00943887047 + p * w;
        p = 1.00167406 + p * w;
        p = 2.83297682 + p * w;
    }
    double a = fabs(x);
    double y = fabs(p * x);
    for (int i = 0; i < 3; i++) {
        double f = a <= 0.5 ? erf(y) - a : (1.0 - a) - erfc(y);
        y -= f / (1.1283791670955126 * exp(-y * y));
    }
    return copysign(y, x);
}

__device__ __forceinline__ float unary_f(int op, float v, float a, float b) {
    switch (op) {
        case 0: return -v;
        case 1: return fabsf(v);
        case 2: return v > 0.f ? 1.f : (v < 0.f ? -1.f : 0.f); // PyTorch's: 0 for both zeros and NaN
        case 3: return expf(v);
        case 4: return logf(v);
        case 5: return sqrtf(v);
        case 6: return 1.f / (1.f + expf(-v));
        case 7: return tanhf(v);
        case 8: return v < 0.f ? 0.f : v; // NaN and -0 pass, as PyTorch's relu leaves them
        case 9: return v > 0.f ? v : a * v;
        // PyTorch's shortcuts for these exponents, whose roundings (and signs at -0 and -inf) it keeps.
        // 1 / sqrt rather than rsqrtf (within 2 ulp): the CPU's bits, and PyTorch's batch-norm invstd.
        case 10: return a == 2.f ? v * v : a == 3.f ? v * v * v : a == .5f ? sqrtf(v) : a == -.5f ? 1.f / sqrtf(v)
                : a == -1.f ? 1.f / v : a == -2.f ? 1.f / (v * v) : powf(v, a);
        case 11: return isnan(v) ? v : fminf(fmaxf(v, a), b);
        case 12: return erff(v);
        case 13: return expm1f(v);
        case 14: return log1pf(v);
        case 15: return floorf(v);
        case 16: return ceilf(v);
        case 17: return rintf(v); // halves to even, as torch.round
        case 18: return truncf(v);
        case 19: return sinf(v);
        case 20: return cosf(v);
        case 21: return tanf(v);
        case 22: return asinf(v);
        case 23: return acosf(v);
        case 24: return atanf(v);
        case 25: return sinhf(v);
        case 26: return coshf(v);
        case 27: return asinhf(v);
        case 28: return acoshf(v);
        case 29: return atanhf(v);
        case 30: return exp2f(v);
        case 31: return log2f(v);
        case 32: return log10f(v);
        case 33: return erfcf(v);
        case 34: return (float) lgamma((double) v); // lgammaf is off by many ulp on (-10, -2.26)
        case 35: return (float) digamma_d(v);
        case 36: return (float) polygamma_d((int) a, v);
        case 37: return (float) erfinv_d(v);
        // PyTorch's CPU steps: (x / 2)(1 + erf(x / sqrt 2)).
        case 38: return v * 0.5f * (1.f + erff(v * 0.70710678118654752f));
        case 39: return v / (1.f + expf(-v));
        case 40: return v * fminf(fmaxf(v + 3.f, 0.f), 6.f) / 6.f;
    }
    return nan_f();
}

__device__ long long unary_l(int op, long long v, double a, double b) {
    switch (op) {
        case 0: return -v;
        case 1: return v < 0 ? -v : v;
        case 2: return (v > 0) - (v < 0);
        case 8: return v > 0 ? v : 0;
        case 11: return (long long) fmin(fmax((double) v, a), b);
    }
    return 0;
}

// Every operand contiguous (one merged dim of stride 1), as most are in a training step: the
// float kernels then index them directly, with the op compiled into the loop of its switch case,
// instead of spending a layout walk per operand and a switch on the op per element.
__device__ __forceinline__ bool dense(const Lay& l) {
    return l.ndim == 1 && l.stride[0] == 1;
}

// A dense launch gives each thread UNROLL elements a block apart, all loaded before any is
// computed: several loads in flight per thread where one at a time leaves the memory system
// waiting (PyTorch's elementwise kernels do the same). CudaBackend launches these kernels with
// 1/UNROLL of the blocks when its operands are dense; any grid covers all n elements. Unsigned:
// base + step stays below 2^32 for n < 2^31.
#define UNROLL 4
#define DENSE_STEPS(base, n)                                                                          \
    for (unsigned int base = blockIdx.x * blockDim.x * UNROLL + threadIdx.x; base < (unsigned int) (n); \
         base += blockDim.x * gridDim.x * UNROLL)
// Element k of a thread's UNROLL at this step, as i, and whether it exists.
#define DENSE_ELEMENT(i, base, k, n)                   \
    unsigned int i = (base) + (k) * blockDim.x;        \
    if (i < (unsigned int) (n))

// out[i] = f(in[i], i) over a dense run: the op is the lambda, so each case of a kernel's switch
// gets its own loop with the op compiled in.
template <typename F>
__device__ __forceinline__ void dense_map(float* out, const float* in, int n, F f) {
    DENSE_STEPS(base, n) {
        float v[UNROLL];
#pragma unroll
        for (int k = 0; k < UNROLL; ++k) {
            DENSE_ELEMENT(i, base, k, n) v[k] = in[i];
        }
#pragma unroll
        for (int k = 0; k < UNROLL; ++k) {
            DENSE_ELEMENT(i, base, k, n) out[i] = f(v[k], i);
        }
    }
}

// out[i] = f(pa[i], pb[i], i).
template <typename F>
__device__ __forceinline__ void dense_map2(float* out, const float* pa, const float* pb, int n, F f) {
    DENSE_STEPS(base, n) {
        float u[UNROLL];
        float v[UNROLL];
#pragma unroll
        for (int k = 0; k < UNROLL; ++k) {
            DENSE_ELEMENT(i, base, k, n) {
                u[k] = pa[i];
                v[k] = pb[i];
            }
        }
#pragma unroll
        for (int k = 0; k < UNROLL; ++k) {
            DENSE_ELEMENT(i, base, k, n) out[i] = f(u[k], v[k], i);
        }
    }
}

#define UNARY_DENSE(k) case k: dense_map(y, v, n, [=](float e, unsigned int) { return unary_f(k, e, a, b); }); return;

extern "C" __global__ void unary_ff(int op, Lay o, float* out, Lay x, const float* in, float a, float b, int n) {
    if (dense(o) && dense(x)) {
        float* y = out + o.offset;
        const float* v = in + x.offset;
        switch (op) {
            UNARY_DENSE(0) UNARY_DENSE(1) UNARY_DENSE(2) UNARY_DENSE(3) UNARY_DENSE(4) UNARY_DENSE(5)
            UNARY_DENSE(6) UNARY_DENSE(7) UNARY_DENSE(8) UNARY_DENSE(9) UNARY_DENSE(10) UNARY_DENSE(11)
            UNARY_DENSE(12) UNARY_DENSE(13) UNARY_DENSE(14)
        }
    }
    GRID_STRIDE(i, n) { out[at(o, i)] = unary_f(op, in[at(x, i)], a, b); }
}

extern "C" __global__ void unary_ll(int op, Lay o, long long* out, Lay x, const long long* in, double a, double b, int n) {
    GRID_STRIDE(i, n) { out[at(o, i)] = unary_l(op, in[at(x, i)], a, b); }
}

// Comparisons (op codes 5 to 10) of either dtype write a float32 0/1 mask.
template <typename T>
__device__ __forceinline__ float compare(int op, T x, T y) {
    switch (op) {
        case 5: return x == y ? 1.f : 0.f;
        case 6: return x != y ? 1.f : 0.f;
        case 7: return x > y ? 1.f : 0.f;
        case 8: return x < y ? 1.f : 0.f;
        case 9: return x >= y ? 1.f : 0.f;
        case 10: return x <= y ? 1.f : 0.f;
    }
    return nan_f();
}

// PyTorch's rounding divisions (c10's div_floor_floating and friends), from the exact fmod.
__device__ __forceinline__ float remainder_f(float x, float y) {
    float mod = fmodf(x, y);
    return mod != 0.f && (y < 0.f) != (mod < 0.f) ? mod + y : mod;
}

__device__ float floor_divide_f(float x, float y) {
    if (y == 0.f) return x / y;
    float mod = fmodf(x, y);
    float div = (x - mod) / y;
    if (mod != 0.f && (y < 0.f) != (mod < 0.f)) div -= 1.f;
    if (div == 0.f) return copysignf(0.f, x / y);
    float fl = floorf(div);
    return div - fl > 0.5f ? fl + 1.f : fl;
}

__device__ __forceinline__ float binary_f(int op, float x, float y) {
    switch (op) {
        case 0: return x + y;
        case 1: return x - y;
        case 2: return x * y;
        case 3: return x / y;
        case 4: return y == 2.f ? x * x : powf(x, y);
        case 11: return y <= 0.f ? 0.f : x;  // PyTorch's threshold_backward: NaN passes the gradient
        case 12: return fmodf(x, y);
        case 13: return remainder_f(x, y);
        case 14: return floor_divide_f(x, y);
        case 15: return truncf(x / y);
        case 16: return atan2f(x, y);
        case 17: return hypotf(x, y);
        // GELU's backward: the gradient x times cdf(y) + y pdf(y), PyTorch's steps.
        case 18: return x * (0.5f * (1.f + erff(y * 0.70710678118654752f)) + y * (0.39894228040143268f * expf(y * y * -0.5f)));
        // SiLU's backward: the gradient x times s (1 + y (1 - s)), s = sigmoid(y).
        case 19: { float s = 1.f / (1.f + expf(-y)); return x * s * (1.f + y * (1.f - s)); }
        // Hardswish's backward, PyTorch's branches: NaN passes the gradient.
        case 20: return y < -3.f ? 0.f : (y <= 3.f ? x * (y / 3.f + 0.5f) : x);
    }
    return compare(op, x, y);
}

__device__ long long binary_l(int op, long long x, long long y) {
    switch (op) {
        case 0: return x + y;
        case 1: return x - y;
        case 2: return x * y;
        // Divisors are never 0 here: core refuses an int64 division by zero before the launch.
        case 12: return x % y;
        case 13: { long long mod = x % y; return mod != 0 && (y < 0) != (mod < 0) ? mod + y : mod; }
        case 14: { long long q = x / y; return (x % y != 0 && (x < 0) != (y < 0)) ? q - 1 : q; }
        case 15: return x / y;
    }
    return 0;
}

// The arithmetic ops and relu's gradient (11) go the dense way; comparisons, rare in a step, do not.
#define BINARY_DENSE(k) case k: dense_map2(y, u, v, n, [](float p, float q, unsigned int) { return binary_f(k, p, q); }); return;

extern "C" __global__ void binary_fff(int op, Lay o, float* out, Lay a, const float* pa, Lay b, const float* pb, int n) {
    if (dense(o) && dense(a) && dense(b)) {
        float* y = out + o.offset;
        const float* u = pa + a.offset;
        const float* v = pb + b.offset;
        switch (op) {
            BINARY_DENSE(0) BINARY_DENSE(1) BINARY_DENSE(2) BINARY_DENSE(3) BINARY_DENSE(4) BINARY_DENSE(11)
        }
    }
    GRID_STRIDE(i, n) { out[at(o, i)] = binary_f(op, pa[at(a, i)], pb[at(b, i)]); }
}

extern "C" __global__ void binary_lll(int op, Lay o, long long* out, Lay a, const long long* pa, Lay b, const long long* pb, int n) {
    GRID_STRIDE(i, n) { out[at(o, i)] = binary_l(op, pa[at(a, i)], pb[at(b, i)]); }
}

extern "C" __global__ void compare_llf(int op, Lay o, float* out, Lay a, const long long* pa, Lay b, const long long* pb, int n) {
    GRID_STRIDE(i, n) { out[at(o, i)] = compare<long long>(op, pa[at(a, i)], pb[at(b, i)]); }
}

// The same with a scalar right operand, passed by value: x + 0.1 needs no tensor filled with 0.1.
#define BINARY_SCALAR_DENSE(k) case k: dense_map(y, u, n, [=](float p, unsigned int) { return binary_f(k, p, s); }); return;

extern "C" __global__ void binary_scalar_ff(int op, Lay o, float* out, Lay a, const float* pa, float s, int n) {
    if (dense(o) && dense(a)) {
        float* y = out + o.offset;
        const float* u = pa + a.offset;
        switch (op) {
            BINARY_SCALAR_DENSE(0) BINARY_SCALAR_DENSE(1) BINARY_SCALAR_DENSE(2) BINARY_SCALAR_DENSE(3) BINARY_SCALAR_DENSE(4)
            BINARY_SCALAR_DENSE(11)
        }
    }
    GRID_STRIDE(i, n) { out[at(o, i)] = binary_f(op, pa[at(a, i)], s); }
}

extern "C" __global__ void binary_scalar_ll(int op, Lay o, long long* out, Lay a, const long long* pa, long long s, int n) {
    GRID_STRIDE(i, n) { out[at(o, i)] = binary_l(op, pa[at(a, i)], s); }
}

extern "C" __global__ void compare_scalar_lf(int op, Lay o, float* out, Lay a, const long long* pa, long long s, int n) {
    GRID_STRIDE(i, n) { out[at(o, i)] = compare<long long>(op, pa[at(a, i)], s); }
}

extern "C" __global__ void where_f(Lay o, float* out, Lay c, const float* cond, Lay a, const float* pa, Lay b, const float* pb, int n) {
    GRID_STRIDE(i, n) { out[at(o, i)] = cond[at(c, i)] != 0.f ? pa[at(a, i)] : pb[at(b, i)]; }
}

extern "C" __global__ void where_l(Lay o, long long* out, Lay c, const float* cond, Lay a, const long long* pa, Lay b, const long long* pb,
                                   int n) {
    GRID_STRIDE(i, n) { out[at(o, i)] = cond[at(c, i)] != 0.f ? pa[at(a, i)] : pb[at(b, i)]; }
}

// ---- gather and scatter_add along one dim -----------------------------------------------------

// xb walks x over out's shape with a stride of 0 along dim; each element then steps its position
// times step along dim from there.
template <typename T>
__device__ void gather(const Lay& o, T* out, const Lay& xb, const T* x, int step, const Lay& ix, const long long* index, int n) {
    GRID_STRIDE(i, n) { out[at(o, i)] = x[at(xb, i) + (int) index[at(ix, i)] * step]; }
}

extern "C" __global__ void gather_f(Lay o, float* out, Lay xb, const float* x, int step, Lay ix, const long long* index, int n) {
    gather<float>(o, out, xb, x, step, ix, index, n);
}

extern "C" __global__ void gather_l(Lay o, long long* out, Lay xb, const long long* x, int step, Lay ix, const long long* index, int n) {
    gather<long long>(o, out, xb, x, step, ix, index, n);
}

// One thread per line along dim, adding in the line's order. Lines never share an output element,
// so no atomics are needed and the sums are the CPU's, bit for bit, on every run.
template <typename T>
__device__ void scatter_add(const Lay& ol, T* out, int so, const Lay& il, const long long* index, int si, const Lay& sl, const T* src,
                            int ss, int len, int lines) {
    GRID_STRIDE(k, lines) {
        int p = at(ol, k);
        int r = at(il, k);
        int q = at(sl, k);
        for (int j = 0; j < len; j++) {
            out[p + (int) index[r + j * si] * so] += src[q + j * ss];
        }
    }
}

extern "C" __global__ void scatter_add_f(Lay ol, float* out, int so, Lay il, const long long* index, int si, Lay sl, const float* src,
                                         int ss, int len, int lines) {
    scatter_add<float>(ol, out, so, il, index, si, sl, src, ss, len, lines);
}

extern "C" __global__ void scatter_add_l(Lay ol, long long* out, int so, Lay il, const long long* index, int si, Lay sl,
                                         const long long* src, int ss, int len, int lines) {
    scatter_add<long long>(ol, out, so, il, index, si, sl, src, ss, len, lines);
}

// ---- sort: one thread per line along dim, a stable bottom-up merge sort -----------------------

// A key whose signed order is the wanted one: a float's bits made monotonic, every NaN above +inf
// and -0.0 equal to 0.0 (Sort.java on the CPU); bitwise not reverses it for descending.
__device__ __forceinline__ long long sort_key(float v, int desc) {
    int bits = isnan(v) ? 0x7fc00000 : (v == 0.f ? 0 : __float_as_int(v));
    long long k = bits < 0 ? bits ^ 0x7fffffff : bits;
    return desc ? ~k : k;
}

__device__ __forceinline__ long long sort_key(long long v, int desc) {
    return desc ? ~v : v;
}

// Line k of x (kept layout kx, step sx along dim) sorted into values and indices, which share the
// contiguous layout ko (step so along dim); tv and ti, laid out alike, hold every other merge pass.
template <typename T>
__device__ void sort_lines(int desc, const Lay& kx, const T* x, int sx, const Lay& ko, T* values, long long* indices, T* tv,
                           long long* ti, int so, int len, int lines) {
    GRID_STRIDE(k, lines) {
        int px = at(kx, k);
        int po = at(ko, k);
        T* av = values + po;
        long long* ai = indices + po;
        T* bv = tv + po;
        long long* bi = ti + po;
        for (int j = 0; j < len; j++) {
            av[j * so] = x[px + j * sx];
            ai[j * so] = j;
        }
        for (long long width = 1; width < len; width *= 2) {
            for (long long lo = 0; lo < len; lo += 2 * width) {
                int mid = (int) (lo + width < len ? lo + width : len);
                int hi = (int) (lo + 2 * width < len ? lo + 2 * width : len);
                int a = (int) lo;
                int b = mid;
                for (int j = (int) lo; j < hi; j++) {
                    // The right run's element goes first only when strictly smaller: equal keys keep their order.
                    bool right = b < hi && (a >= mid || sort_key(av[b * so], desc) < sort_key(av[a * so], desc));
                    int from = right ? b++ : a++;
                    bv[j * so] = av[from * so];
                    bi[j * so] = ai[from * so];
                }
            }
            T* sv = av;
            av = bv;
            bv = sv;
            long long* si = ai;
            ai = bi;
            bi = si;
        }
        if (av != values + po) {
            for (int j = 0; j < len; j++) {
                values[po + j * so] = av[j * so];
                indices[po + j * so] = ai[j * so];
            }
        }
    }
}

extern "C" __global__ void sort_f(int desc, Lay kx, const float* x, int sx, Lay ko, float* values, long long* indices, float* tv,
                                  long long* ti, int so, int len, int lines) {
    sort_lines<float>(desc, kx, x, sx, ko, values, indices, tv, ti, so, len, lines);
}

extern "C" __global__ void sort_l(int desc, Lay kx, const long long* x, int sx, Lay ko, long long* values, long long* indices,
                                  long long* tv, long long* ti, int so, int len, int lines) {
    sort_lines<long long>(desc, kx, x, sx, ko, values, indices, tv, ti, so, len, lines);
}

// Running sums of each line in order, float32 through a double, as PyTorch's CPU cumsum.
template <typename T, typename A>
__device__ void cumsum_lines(const Lay& kx, const T* x, int sx, const Lay& ko, T* out, int so, int len, int lines) {
    GRID_STRIDE(k, lines) {
        int px = at(kx, k);
        int po = at(ko, k);
        A sum = 0;
        for (int j = 0; j < len; j++) {
            sum += (A) x[px + j * sx];
            out[po + j * so] = (T) sum;
        }
    }
}

extern "C" __global__ void cumsum_f(Lay kx, const float* x, int sx, Lay ko, float* out, int so, int len, int lines) {
    cumsum_lines<float, double>(kx, x, sx, ko, out, so, len, lines);
}

extern "C" __global__ void cumsum_l(Lay kx, const long long* x, int sx, Lay ko, long long* out, int so, int len, int lines) {
    cumsum_lines<long long, long long>(kx, x, sx, ko, out, so, len, lines);
}

// ---- reductions: one block per output element, accumulated in double --------------------------

// NaN wins, like torch.max / torch.min.
__device__ __forceinline__ double pick(int op, double a, double b) {
    if (isnan(a)) return a;
    if (isnan(b)) return b;
    return op == 2 ? (a > b ? a : b) : (a < b ? a : b);
}

// Two partial results of a float reduction made one: sums (SUM, MEAN) add, MAX and MIN pick.
__device__ __forceinline__ double combine(int op, double a, double b) {
    return op <= 1 ? a + b : pick(op, a, b);
}

__device__ double block_combine(int op, double v, double* sh) {
    sh[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            sh[threadIdx.x] = combine(op, sh[threadIdx.x], sh[threadIdx.x + s]);
        }
        __syncthreads();
    }
    double r = sh[0];
    __syncthreads();
    return r;
}

// This thread's share of reduced elements [from, to) of the output at x + base: every
// blockDim.x-th one. MAX and MIN start from the slice's first element (NaN for an empty slice).
__device__ __forceinline__ double reduce_slice(int op, const float* x, int base, const Lay& red, int from, int to) {
    double acc = op <= 1 ? 0.0 : (from < to ? (double) x[base + at(red, from)] : nan_f());
    STRIDED_LOOP(r, from + threadIdx.x, to, blockDim.x) {
        acc = combine(op, acc, x[base + at(red, r)]);
    }
    return acc;
}

// kept: x's layout with the reduced dims set to size 1 (one entry per output); red: x's layout
// with the kept dims set to size 1 and offset 0 (one entry per reduced element).
extern "C" __global__ void reduce_f(int op, Lay o, float* out, Lay kept, Lay red, const float* x, int nOut, int nRed) {
    __shared__ double sh[BLOCK];
    STRIDED_LOOP(k, blockIdx.x, nOut, gridDim.x) {
        double acc = block_combine(op, reduce_slice(op, x, at(kept, k), red, 0, nRed), sh);
        if (threadIdx.x == 0) {
            out[at(o, k)] = (float) (op == 1 ? acc / nRed : acc);
        }
    }
}

// A long reduction with few outputs, split so that more than a handful of blocks work on it (a
// convolution's bias gradient sums 73,728 elements for each of 6 channels in LeNet): block b
// reduces slice b % parts of output b / parts into partial[b], in double; reduce_finish_f then
// combines each output's partials in order, so the result depends on the sizes only.
// Part p of `parts` equal slices of count elements starts at element count·p / parts.
__device__ __forceinline__ long long part_start(long long count, int p, int parts) {
    return count * p / parts;
}

// What block b of a split reduction takes: slice b % parts, [from, to), of output b / parts
// (for batch norm, of channel b / parts).
struct Slice {
    int ch;
    long long from, to;
};

__device__ __forceinline__ Slice slice_of(int b, int parts, long long count) {
    Slice sl;
    sl.ch = b / parts;
    int p = b - sl.ch * parts;
    sl.from = part_start(count, p, parts);
    sl.to = part_start(count, p + 1, parts);
    return sl;
}

extern "C" __global__ void reduce_part_f(int op, Lay kept, Lay red, const float* x, double* partial, int nOut, int nRed, int parts) {
    __shared__ double sh[BLOCK];
    STRIDED_LOOP(b, blockIdx.x, nOut * parts, gridDim.x) {
        Slice sl = slice_of(b, parts, nRed);
        double acc = block_combine(op, reduce_slice(op, x, at(kept, sl.ch), red, (int) sl.from, (int) sl.to), sh);
        if (threadIdx.x == 0) {
            partial[b] = acc;
        }
    }
}

extern "C" __global__ void reduce_finish_f(int op, Lay o, float* out, const double* partial, int nOut, int nRed, int parts) {
    GRID_STRIDE(k, nOut) {
        const double* part = partial + (long long) k * parts;
        double acc = part[0];
        for (int p = 1; p < parts; ++p) {
            acc = combine(op, acc, part[p]);
        }
        out[at(o, k)] = (float) (op == 1 ? acc / nRed : acc);
    }
}

// int64 SUM, MAX and MIN, exact in 64-bit integers.
extern "C" __global__ void reduce_l(int op, Lay o, long long* out, Lay kept, Lay red, const long long* x, int nOut, int nRed) {
    __shared__ long long sh[BLOCK];
    STRIDED_LOOP(k, blockIdx.x, nOut, gridDim.x) {
        int base = at(kept, k);
        long long acc = op == 0 ? 0 : (nRed > 0 ? x[base + at(red, 0)] : 0);
        STRIDED_LOOP(r, threadIdx.x, nRed, blockDim.x) {
            long long v = x[base + at(red, r)];
            acc = op == 0 ? acc + v : (op == 2 ? (v > acc ? v : acc) : (v < acc ? v : acc));
        }
        sh[threadIdx.x] = acc;
        __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s) {
                long long a = sh[threadIdx.x];
                long long b = sh[threadIdx.x + s];
                sh[threadIdx.x] = op == 0 ? a + b : (op == 2 ? (b > a ? b : a) : (b < a ? b : a));
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) {
            out[at(o, k)] = sh[0];
        }
        __syncthreads();
    }
}

// Whether (v, i) beats (w, j) for argmax (op 2) or argmin (op 3): NaN is the extreme, ties go
// to the first index, and an empty slot (index -1) loses.
__device__ __forceinline__ bool beats(int op, float v, int i, float w, int j) {
    if (j < 0) return i >= 0;
    if (i < 0) return false;
    bool vn = isnan(v), wn = isnan(w);
    if (vn || wn) return vn && (!wn || i < j);
    if (v == w) return i < j;
    return op == 2 ? v > w : v < w;
}

__device__ __forceinline__ bool beats(int op, long long v, int i, long long w, int j) {
    if (j < 0) return i >= 0;
    if (i < 0) return false;
    if (v == w) return i < j;
    return op == 2 ? v > w : v < w;
}

// One block per output: values and first indices of the extreme along a dim of length len.
template <typename T>
__device__ void arg_reduce(int op, const Lay& ov, T* values, const Lay& oi, long long* indices, const Lay& kept, const T* x, int stride,
                           int len, int nOut) {
    __shared__ T sv[BLOCK];
    __shared__ int si[BLOCK];
    STRIDED_LOOP(k, blockIdx.x, nOut, gridDim.x) {
        int base = at(kept, k);
        T best = 0;
        int bi = -1;
        STRIDED_LOOP(r, threadIdx.x, len, blockDim.x) {
            T v = x[base + r * stride];
            if (beats(op, v, r, best, bi)) {
                best = v;
                bi = r;
            }
        }
        sv[threadIdx.x] = best;
        si[threadIdx.x] = bi;
        __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s && beats(op, sv[threadIdx.x + s], si[threadIdx.x + s], sv[threadIdx.x], si[threadIdx.x])) {
                sv[threadIdx.x] = sv[threadIdx.x + s];
                si[threadIdx.x] = si[threadIdx.x + s];
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) {
            values[at(ov, k)] = sv[0];
            indices[at(oi, k)] = si[0];
        }
        __syncthreads();
    }
}

extern "C" __global__ void arg_reduce_f(int op, Lay ov, float* values, Lay oi, long long* indices, Lay kept, const float* x, int stride,
                                        int len, int nOut) {
    arg_reduce<float>(op, ov, values, oi, indices, kept, x, stride, len, nOut);
}

extern "C" __global__ void arg_reduce_l(int op, Lay ov, long long* values, Lay oi, long long* indices, Lay kept, const long long* x,
                                        int stride, int len, int nOut) {
    arg_reduce<long long>(op, ov, values, oi, indices, kept, x, stride, len, nOut);
}

// ---- softmax: one block per row along dim --------------------------------------------------------

extern "C" __global__ void softmax_f(int logMode, Lay ko, float* out, int so, Lay kx, const float* x, int sx, int len, int rows) {
    __shared__ double sh[BLOCK];
    STRIDED_LOOP(k, blockIdx.x, rows, gridDim.x) {
        int bx = at(kx, k);
        int bo = at(ko, k);
        double m = neg_inf_d();
        STRIDED_LOOP(r, threadIdx.x, len, blockDim.x) {
            m = pick(2, m, (double) x[bx + r * sx]);
        }
        m = block_combine(2, m, sh);
        double sum = 0.0;
        STRIDED_LOOP(r, threadIdx.x, len, blockDim.x) {
            sum += exp((double) x[bx + r * sx] - m);
        }
        sum = block_combine(0, sum, sh);
        double logSum = log(sum);
        STRIDED_LOOP(r, threadIdx.x, len, blockDim.x) {
            double d = (double) x[bx + r * sx] - m;
            out[bo + r * so] = (float) (logMode ? d - logSum : exp(d) / sum);
        }
    }
}

// Its gradient from the output o, one block per row: gi = g - exp(o) * sum(g) (log-softmax) or
// o * (g - sum(g * o)) (softmax), rounded as the elementwise ops round them, the sum in double.
extern "C" __global__ void softmax_backward_f(int logMode, Lay ki, float* gi, int si, Lay kg, const float* g, int sg, Lay ko,
                                              const float* o, int so, int len, int rows) {
    __shared__ double sh[BLOCK];
    STRIDED_LOOP(k, blockIdx.x, rows, gridDim.x) {
        int bi = at(ki, k);
        int bg = at(kg, k);
        int bo = at(ko, k);
        double s = 0.0;
        STRIDED_LOOP(r, threadIdx.x, len, blockDim.x) {
            float gv = g[bg + r * sg];
            s += logMode ? (double) gv : (double) __fmul_rn(gv, o[bo + r * so]);
        }
        float sum = (float) block_combine(0, s, sh);
        STRIDED_LOOP(r, threadIdx.x, len, blockDim.x) {
            float gv = g[bg + r * sg];
            float ov = o[bo + r * so];
            gi[bi + r * si] = logMode ? __fsub_rn(gv, __fmul_rn(expf(ov), sum)) : __fmul_rn(ov, __fsub_rn(gv, sum));
        }
    }
}

// ---- pooling over contiguous (N, C, H, W) ----------------------------------------------------------

// Sizes, window, stride, padding, dilation; then the image and output widths and heights again as
// Divisors, for splitting an element index into (plane, row, column).
struct Pool {
    int h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, countIncludePad;
    Divisor wd, hd, owd, ohd;
};

// Element i of a contiguous stack of h × w planes: its plane, row and column.
struct PlanePos {
    int plane, y, x;
};

__device__ __forceinline__ PlanePos plane_pos(int i, Divisor wd, int w, Divisor hd, int h) {
    PlanePos q;
    int row = div_by(i, wd);
    q.x = i - row * w;
    q.plane = div_by(row, hd);
    q.y = row - q.plane * h;
    return q;
}

extern "C" __global__ void max_pool_f(Pool p, const float* x, float* out, long long* indices, int n) {
    GRID_STRIDE(o, n) {
        PlanePos pos = plane_pos(o, p.owd, p.ow, p.ohd, p.oh);
        const float* src = x + (long long) pos.plane * p.h * p.w;
        float best = 0.f;
        int bi = -1;
        for (int i = 0; i < p.kh; i++) {
            int iy = pos.y * p.sh - p.ph + i * p.dh;
            if (iy < 0 || iy >= p.h) continue;
            for (int j = 0; j < p.kw; j++) {
                int ix = pos.x * p.sw - p.pw + j * p.dw;
                if (ix < 0 || ix >= p.w) continue;
                float v = src[iy * p.w + ix];
                if (bi < 0 || v > best || isnan(v)) {  // PyTorch: the last NaN of a window wins
                    best = v;
                    bi = iy * p.w + ix;
                }
            }
        }
        out[o] = bi < 0 ? neg_inf_f() : best;
        indices[o] = bi;
    }
}

// One thread per input element gathers the gradients of the outputs whose index it is, from the
// windows that can cover it, in the outputs' order: float32 sums with the bits of the CPU's scatter
// in that order, deterministic where windows overlap, with no atomics and no zeroing first. Index
// -1 (a window that reaches no pixel) matches no element. Given the pooled output of a ReLU's
// output (pooled, else null), only outputs where it is not at most 0 count: ReLU's backward in the
// same pass, with the same sums, since every output pointing at an element has that element's value
// (Backend.maxPool2dBackwardThroughRelu).
extern "C" __global__ void max_pool_backward_f(Pool p, const float* gradOut, const long long* indices, const float* pooled, float* gradInput,
                                               int n) {
    GRID_STRIDE(i, n) {
        PlanePos pos = plane_pos(i, p.wd, p.w, p.hd, p.h);
        long long first = (long long) pos.plane * p.oh * p.ow;
        long long self = pos.y * p.w + pos.x;
        // Output rows whose window [oy·sh - ph, oy·sh - ph + dh·(kh - 1)] holds row y, likewise columns.
        int spanH = p.dh * (p.kh - 1);
        int spanW = p.dw * (p.kw - 1);
        int yLo = pos.y + p.ph - spanH <= 0 ? 0 : (pos.y + p.ph - spanH + p.sh - 1) / p.sh;
        int yHi = min(p.oh - 1, (pos.y + p.ph) / p.sh);
        int xLo = pos.x + p.pw - spanW <= 0 ? 0 : (pos.x + p.pw - spanW + p.sw - 1) / p.sw;
        int xHi = min(p.ow - 1, (pos.x + p.pw) / p.sw);
        float acc = 0.f;
        for (int oy = yLo; oy <= yHi; oy++) {
            for (int ox = xLo; ox <= xHi; ox++) {
                long long o = first + oy * p.ow + ox;
                if (indices[o] == self && (pooled == nullptr || !(pooled[o] <= 0.f))) {
                    acc = __fadd_rn(acc, gradOut[o]);
                }
            }
        }
        gradInput[i] = acc;
    }
}

// The window of output (y, x) clipped to the image, and PyTorch's divisor for it.
__device__ void avg_window(const Pool& p, int y, int x, int* y0, int* y1, int* x0, int* x1, int* div) {
    int a0 = y * p.sh - p.ph;
    int b0 = x * p.sw - p.pw;
    int a1 = min(a0 + p.kh, p.h + p.ph);
    int b1 = min(b0 + p.kw, p.w + p.pw);
    int padded = (a1 - a0) * (b1 - b0);
    a0 = max(a0, 0);
    b0 = max(b0, 0);
    a1 = min(a1, p.h);
    b1 = min(b1, p.w);
    *y0 = a0; *y1 = a1; *x0 = b0; *x1 = b1;
    *div = p.countIncludePad ? padded : (a1 - a0) * (b1 - b0);
}

extern "C" __global__ void avg_pool_f(Pool p, const float* x, float* out, int n) {
    GRID_STRIDE(o, n) {
        PlanePos pos = plane_pos(o, p.owd, p.ow, p.ohd, p.oh);
        const float* src = x + (long long) pos.plane * p.h * p.w;
        int y0, y1, x0, x1, div;
        avg_window(p, pos.y, pos.x, &y0, &y1, &x0, &x1, &div);
        double sum = 0.0;
        for (int iy = y0; iy < y1; iy++) {
            for (int ix = x0; ix < x1; ix++) {
                sum += src[iy * p.w + ix];
            }
        }
        out[o] = (float) (sum / div);
    }
}

// One thread per input element gathers from the windows that cover it: deterministic, no atomics.
extern "C" __global__ void avg_pool_backward_f(Pool p, const float* gradOut, float* gradInput, int n) {
    GRID_STRIDE(i, n) {
        PlanePos pos = plane_pos(i, p.wd, p.w, p.hd, p.h);
        int iy = pos.y;
        int ix = pos.x;
        const float* g = gradOut + (long long) pos.plane * p.oh * p.ow;
        int yLo = max(0, (iy + p.ph - p.kh + p.sh) / p.sh);
        int yHi = min(p.oh - 1, (iy + p.ph) / p.sh);
        int xLo = max(0, (ix + p.pw - p.kw + p.sw) / p.sw);
        int xHi = min(p.ow - 1, (ix + p.pw) / p.sw);
        double acc = 0.0;
        for (int y = yLo; y <= yHi; y++) {
            for (int x = xLo; x <= xHi; x++) {
                int y0, y1, x0, x1, div;
                avg_window(p, y, x, &y0, &y1, &x0, &x1, &div);
                if (iy >= y0 && iy < y1 && ix >= x0 && ix < x1) {
                    acc += (double) g[y * p.ow + x] / div;
                }
            }
        }
        gradInput[i] = (float) acc;
    }
}

// ---- batch normalisation over contiguous (N, C, M) -------------------------------------------------

// Channel ch of contiguous x (n, c, m) holds n·m elements; its element i = s·m + j lies at
// (s·c + ch)·m + j. A thread visits i = from + threadIdx.x, + blockDim.x, ... in that order,
// carrying (s, j) from one to the next: two divisions per thread instead of two 64-bit ones per
// element, which cost a GPU far more than the load they address.
struct ChannelWalk {
    long long i;
    int s, j, ds, dj;
};

// With no positions per sample (m = 0) the channel is empty, so every range is too: no division.
__device__ __forceinline__ ChannelWalk walk_start(long long from, int m) {
    ChannelWalk w;
    w.i = from + threadIdx.x;
    if (m <= 0) {
        w.s = w.j = w.ds = w.dj = 0;
        return w;
    }
    // i < n·m + blockDim.x < 2^32: a 32-bit unsigned division is exact, and far cheaper than 64-bit.
    unsigned int q = (unsigned int) w.i / (unsigned int) m;
    w.s = (int) q;
    w.j = (int) ((unsigned int) w.i - q * (unsigned int) m);
    w.ds = blockDim.x / m;
    w.dj = blockDim.x - w.ds * m;
    return w;
}

__device__ __forceinline__ void walk_next(ChannelWalk& w, int m) {
    w.i += blockDim.x;
    w.s += w.ds;
    w.j += w.dj;
    if (w.j >= m) {
        w.j -= m;
        w.s++;
    }
}

#define CHANNEL_RANGE(w, from, to, m) for (ChannelWalk w = walk_start(from, m); w.i < (to); walk_next(w, m))

// Elements [from, to) of channel ch: their sum, and the sum of their squared deviations from their
// own mean (two passes, like the reference; the second reads what the first left in cache).
__device__ void bn_moments(const float* x, int ch, int c, int m, long long from, long long to, double* sh, double* sum, double* m2) {
    double s = 0.0;
    CHANNEL_RANGE(w, from, to, m) {
        s += x[(w.s * c + ch) * m + w.j];
    }
    s = block_combine(0, s, sh);
    double mu = to > from ? s / (to - from) : 0.0;
    double q = 0.0;
    CHANNEL_RANGE(w, from, to, m) {
        double d = x[(w.s * c + ch) * m + w.j] - mu;
        q += d * d;
    }
    *sum = s;
    *m2 = block_combine(0, q, sh);
}

// Batch norm's statistics, finished for channel i from its float32 mean and variance: invstd as
// unary pow computes it, and the running statistics (null in evaluation) as mul_ then add_ round
// them, with no fused multiply-add.
__device__ __forceinline__ void bn_finish(int i, float mu, float v, float* invstd, float* runningMean, float* runningVar, float eps,
                                          float keep, float mom, float unbias) {
    invstd[i] = __fdiv_rn(1.f, __fsqrt_rn(__fadd_rn(v, eps)));
    if (runningMean) {
        runningMean[i] = __fadd_rn(__fmul_rn(runningMean[i], keep), __fmul_rn(mu, mom));
        runningVar[i] = __fadd_rn(__fmul_rn(runningVar[i], keep), __fmul_rn(__fmul_rn(v, unbias), mom));
    }
}

// Channel ch's mean and biased variance (m2 / count) into mean and var; or, with invstd given,
// the mean and bn_finish instead of var.
__device__ __forceinline__ void bn_channel_stats(int ch, double mu, double m2, long long count, float* mean, float* var, float* invstd,
                                                 float* runningMean, float* runningVar, float eps, float keep, float mom, float unbias) {
    float mf = (float) mu;
    float vf = (float) (m2 / count);
    mean[ch] = mf;
    if (invstd) {
        bn_finish(ch, mf, vf, invstd, runningMean, runningVar, eps, keep, mom, unbias);
    } else {
        var[ch] = vf;
    }
}

// Thread 0 leaves block b's two sums in partial[2b] and partial[2b + 1].
__device__ __forceinline__ void store_partials(double* partial, int b, double first, double second) {
    if (threadIdx.x == 0) {
        partial[2LL * b] = first;
        partial[2LL * b + 1] = second;
    }
}

// One block per channel (a grid of at most 2^20 blocks takes several in turn), for channels that
// are many or short.
extern "C" __global__ void bn_stats_f(const float* x, float* mean, float* var, float* invstd, float* runningMean, float* runningVar,
                                      float eps, float keep, float mom, float unbias, int n, int c, int m) {
    __shared__ double sh[BLOCK];
    long long count = (long long) n * m;
    STRIDED_LOOP(ch, blockIdx.x, c, gridDim.x) {
        double sum, m2;
        bn_moments(x, ch, c, m, 0, count, sh, &sum, &m2);
        if (threadIdx.x == 0) {
            bn_channel_stats(ch, sum / count, m2, count, mean, var, invstd, runningMean, runningVar, eps, keep, mom, unbias);
        }
    }
}

// A few long channels (ResNet-20's first stage: 16 of 131,072 elements at batch 128) would leave
// most of a GPU idle with a block each, so each is split into `parts` slices: block b takes slice
// b % parts of channel b / parts, and leaves its sum and squared deviations in partial[2b, 2b + 1].
extern "C" __global__ void bn_stats_part_f(const float* x, double* partial, int n, int c, int m, int parts) {
    __shared__ double sh[BLOCK];
    long long count = (long long) n * m;
    STRIDED_LOOP(b, blockIdx.x, c * parts, gridDim.x) {
        Slice sl = slice_of(b, parts, count);
        double first, second;
        bn_moments(x, sl.ch, c, m, sl.from, sl.to, sh, &first, &second);
        store_partials(partial, b, first, second);
    }
}

// Each channel's slices combined in order (Chan, Golub and LeVeque): the mean of all, and the
// squared deviations of each slice moved to that mean, m2 + k·(mean_slice − mean)².
extern "C" __global__ void bn_stats_finish_f(const double* partial, float* mean, float* var, float* invstd, float* runningMean,
                                             float* runningVar, float eps, float keep, float mom, float unbias, int n, int c, int m,
                                             int parts) {
    GRID_STRIDE(ch, c) {
        long long count = (long long) n * m;
        const double* part = partial + 2LL * ch * parts;
        double sum = 0.0;
        for (int p = 0; p < parts; ++p) {
            sum += part[2 * p];
        }
        double mu = sum / count;
        double m2 = 0.0;
        for (int p = 0; p < parts; ++p) {
            long long k = part_start(count, p + 1, parts) - part_start(count, p, parts);
            double d = (k > 0 ? part[2 * p] / k : mu) - mu;
            m2 += part[2 * p + 1] + k * d * d;
        }
        bn_channel_stats(ch, mu, m2, count, mean, var, invstd, runningMean, runningVar, eps, keep, mom, unbias);
    }
}

// Element i of contiguous (n, c, m) is in channel (i / m) % c: two divisions by launch constants,
// more than the elementwise batch-norm kernels spend on the element itself when done outright.
__device__ __forceinline__ int channel_of(int i, const Divisor& m, const Divisor& c) {
    int q = div_by(i, m);
    return q - div_by(q, c) * c.value;
}

// Launched as the dense elementwise kernels are (CudaBackend.dense): UNROLL elements per thread.
extern "C" __global__ void bn_apply_f(float* out, const float* x, const float* mean, const float* invstd, const float* weight,
                                      const float* bias, Divisor c, Divisor m, int total) {
    dense_map(out, x, total, [=](float v, unsigned int i) {
        int ch = channel_of((int) i, m, c);
        float y = (v - mean[ch]) * invstd[ch];
        return y * (weight ? weight[ch] : 1.f) + (bias ? bias[ch] : 0.f);
    });
}

// sum(dy) and sum(dy * xhat) over elements [from, to) of channel ch.
__device__ void bn_grad_sums(const float* gradOut, const float* x, const float* mean, const float* invstd, int ch, int c, int m,
                             long long from, long long to, double* sh, double* sumDy, double* sumDyXhat) {
    double mu = mean[ch];
    double is = invstd[ch];
    double sdy = 0.0;
    double sdx = 0.0;
    CHANNEL_RANGE(w, from, to, m) {
        int idx = (w.s * c + ch) * m + w.j;
        double dy = gradOut[idx];
        sdy += dy;
        sdx += dy * (x[idx] - mu) * is;
    }
    *sumDy = block_combine(0, sdy, sh);
    *sumDyXhat = block_combine(0, sdx, sh);
}

// Channel ch's two sums into the (C) scratch sums and, when asked, gradBias and gradWeight.
__device__ __forceinline__ void bn_channel_sums(int ch, double sdy, double sdx, float* sumDy, float* sumDyXhat, float* gradWeight,
                                                float* gradBias) {
    sumDy[ch] = (float) sdy;
    sumDyXhat[ch] = (float) sdx;
    if (gradWeight) gradWeight[ch] = (float) sdx;
    if (gradBias) gradBias[ch] = (float) sdy;
}

// One block per channel, as in bn_stats_f.
extern "C" __global__ void bn_backward_sums_f(const float* gradOut, const float* x, const float* mean, const float* invstd, float* sumDy,
                                              float* sumDyXhat, float* gradWeight, float* gradBias, int n, int c, int m) {
    __shared__ double sh[BLOCK];
    STRIDED_LOOP(ch, blockIdx.x, c, gridDim.x) {
        double sdy, sdx;
        bn_grad_sums(gradOut, x, mean, invstd, ch, c, m, 0, (long long) n * m, sh, &sdy, &sdx);
        if (threadIdx.x == 0) {
            bn_channel_sums(ch, sdy, sdx, sumDy, sumDyXhat, gradWeight, gradBias);
        }
    }
}

// Split as bn_stats_part_f: slice b % parts of channel b / parts into partial[2b, 2b + 1].
extern "C" __global__ void bn_backward_sums_part_f(const float* gradOut, const float* x, const float* mean, const float* invstd,
                                                   double* partial, int n, int c, int m, int parts) {
    __shared__ double sh[BLOCK];
    long long count = (long long) n * m;
    STRIDED_LOOP(b, blockIdx.x, c * parts, gridDim.x) {
        Slice sl = slice_of(b, parts, count);
        double first, second;
        bn_grad_sums(gradOut, x, mean, invstd, sl.ch, c, m, sl.from, sl.to, sh, &first, &second);
        store_partials(partial, b, first, second);
    }
}

// Each channel's slices added in order.
extern "C" __global__ void bn_backward_sums_finish_f(const double* partial, float* sumDy, float* sumDyXhat, float* gradWeight,
                                                     float* gradBias, int c, int parts) {
    GRID_STRIDE(ch, c) {
        const double* part = partial + 2LL * ch * parts;
        double sdy = 0.0;
        double sdx = 0.0;
        for (int p = 0; p < parts; ++p) {
            sdy += part[2 * p];
            sdx += part[2 * p + 1];
        }
        bn_channel_sums(ch, sdy, sdx, sumDy, sumDyXhat, gradWeight, gradBias);
    }
}

extern "C" __global__ void bn_backward_input_f(float* gradInput, const float* gradOut, const float* x, const float* mean, const float* invstd,
                                               const float* weight, const float* sumDy, const float* sumDyXhat, int batchStats, Divisor c,
                                               Divisor m, int total, float count) {
    if (batchStats) {
        dense_map2(gradInput, gradOut, x, total, [=](float dy, float v, unsigned int i) {
            int ch = channel_of((int) i, m, c);
            float xhat = (v - mean[ch]) * invstd[ch];
            return (weight ? weight[ch] : 1.f) * invstd[ch] * (dy - sumDy[ch] / count - xhat * sumDyXhat[ch] / count);
        });
    } else {
        dense_map(gradInput, gradOut, total, [=](float dy, unsigned int i) {
            int ch = channel_of((int) i, m, c);
            return (weight ? weight[ch] : 1.f) * invstd[ch] * dy;
        });
    }
}

// ---- optimizer steps over contiguous float32 parameters ----------------------------------------
// Each rounds like the optimizer's elementwise ops, in their order (Backend.sgdMomentumStep and
// Backend.adamStep): the _rn intrinsics are never contracted into fused multiply-adds and always
// round to nearest, whatever the compiler's options.

// ---- negative log-likelihood ----------------------------------------------------------------

// Per row of logp (n, c): -(logp[i, t] * w[t]) and w[t], or 0 and 0 for an ignored row. Targets
// were checked on the host to be ignore or in [0, c).
extern "C" __global__ void nll_f(float* loss, float* rowWeight, const float* logp, const long long* target, const float* weight,
                                 long long ignore, int n, int c) {
    GRID_STRIDE(i, n) {
        long long t = target[i];
        if (t == ignore) {
            loss[i] = 0.f;
            rowWeight[i] = 0.f;
        } else {
            float w = weight ? weight[t] : 1.f;
            loss[i] = -__fmul_rn(logp[(long long) i * c + t], w);
            rowWeight[i] = w;
        }
    }
}

// Its gradient with respect to logp: (-g[i]) * w[t] in the target's column of a row not ignored,
// and 0 everywhere else, written rather than multiplied so that an infinite g (a mean over no
// rows) leaves them 0, as PyTorch's zero-filled gradient does. g is the (n) gradient of the
// per-row loss at gradLoss + goff with stride gstride (0 where it was broadcast from a sum).
extern "C" __global__ void nll_backward_f(float* gradLogp, const float* gradLoss, int goff, int gstride, const long long* target,
                                          const float* weight, long long ignore, int n, int c) {
    GRID_STRIDE(k, n * c) {
        int i = k / c;
        long long t = target[i];
        gradLogp[k] = (t != ignore && k - i * c == t)
                ? __fmul_rn(-gradLoss[goff + (long long) i * gstride], weight ? weight[t] : 1.f) : 0.f;
    }
}

// The same for statistics computed elsewhere (evaluation: the running ones, with no update).
extern "C" __global__ void bn_update_stats_f(float* invstd, float* runningMean, float* runningVar, const float* mean, const float* var,
                                             float eps, float keep, float mom, float unbias, int c) {
    GRID_STRIDE(i, c) { bn_finish(i, mean[i], var[i], invstd, runningMean, runningVar, eps, keep, mom, unbias); }
}

// One element of SGD with momentum; both SGD kernels use it, so they give the same bits.
__device__ __forceinline__ void sgd_element(float* param, const float* grad, float* buf, int j, float neg, float mu, float keep, float wd,
                                            int decay, int nesterov) {
    float p = param[j];
    float d = grad[j];
    if (decay) {
        d = __fadd_rn(d, __fmul_rn(p, wd));
    }
    float b = __fadd_rn(__fmul_rn(buf[j], mu), __fmul_rn(d, keep));
    buf[j] = b;
    float step = nesterov ? __fadd_rn(d, __fmul_rn(b, mu)) : b;
    param[j] = __fadd_rn(p, __fmul_rn(step, neg));
}

extern "C" __global__ void sgd_momentum_f(float* param, const float* grad, float* buf, float neg, float mu, float keep, float wd, int decay,
                                          int nesterov, int n) {
    GRID_STRIDE(i, n) { sgd_element(param, grad, buf, i, neg, mu, keep, wd, decay, nesterov); }
}

// sgd_momentum_f for up to MULTI parameters in one launch, like PyTorch's foreach kernels: element
// i of the launch belongs to parameter k with start[k] <= i < start[k + 1].
#define MULTI 32

struct Addrs {
    unsigned long long a[MULTI];
};

struct Starts {
    int a[MULTI + 1];
};

// lo = the parameter that owns element i of a multi-tensor launch: the last k < count with
// start.a[k] <= i. A macro rather than a function: indexing the kernel's own parameter keeps the
// arrays in the parameter bank, where a reference to it would make ptxas copy it to local memory.
#define OWNER(lo, start, count, i)                              \
    int lo = 0;                                                 \
    {                                                           \
        int hi_ = (count) - 1;                                  \
        while (lo < hi_) {                                      \
            int mid_ = (lo + hi_ + 1) >> 1;                     \
            if ((start).a[mid_] <= (i)) {                       \
                lo = mid_;                                      \
            } else {                                            \
                hi_ = mid_ - 1;                                 \
            }                                                   \
        }                                                       \
    }

extern "C" __global__ void sgd_momentum_multi_f(Addrs params, Addrs grads, Addrs bufs, Starts start, int count, float neg, float mu,
                                                float keep, float wd, int decay, int nesterov, int total) {
    GRID_STRIDE(i, total) {
        OWNER(lo, start, count, i);
        sgd_element((float*) params.a[lo], (const float*) grads.a[lo], (float*) bufs.a[lo], i - start.a[lo], neg, mu, keep, wd, decay,
                    nesterov);
    }
}

// One element of Adam; both Adam kernels use it, so they give the same bits. decayMode 0: none;
// 1: L2 (grad + wd * param); 2: decoupled (param * shrink first, AdamW). maxSq is null unless AMSGrad.
__device__ __forceinline__ void adam_element(float* param, const float* grad, float* avg, float* avgSq, float* maxSq, int i, int decayMode,
                                             float wd, float shrink, float b1, float c1, float b2, float c2, float sqrtBc2, float eps,
                                             float negStep) {
    float p = param[i];
    float g = grad[i];
    if (decayMode == 2) {
        p = __fmul_rn(p, shrink);
    } else if (decayMode == 1) {
        g = __fadd_rn(g, __fmul_rn(p, wd));
    }
    float m = __fadd_rn(__fmul_rn(avg[i], b1), __fmul_rn(g, c1));
    avg[i] = m;
    float v = __fadd_rn(__fmul_rn(avgSq[i], b2), __fmul_rn(__fmul_rn(g, g), c2));
    avgSq[i] = v;
    float second = v;
    if (maxSq) {
        float old = maxSq[i];
        second = old > v ? old : v;
        maxSq[i] = second;
    }
    float denom = __fadd_rn(__fdiv_rn(__fsqrt_rn(second), sqrtBc2), eps);
    param[i] = __fadd_rn(p, __fmul_rn(__fdiv_rn(m, denom), negStep));
}

extern "C" __global__ void adam_f(float* param, const float* grad, float* avg, float* avgSq, float* maxSq, int decayMode, float wd,
                                  float shrink, float b1, float c1, float b2, float c2, float sqrtBc2, float eps, float negStep, int n) {
    GRID_STRIDE(i, n) { adam_element(param, grad, avg, avgSq, maxSq, i, decayMode, wd, shrink, b1, c1, b2, c2, sqrtBc2, eps, negStep); }
}

struct Floats {
    float a[MULTI];
};

// adam_f for up to MULTI parameters in one launch, each with its own bias corrections (its own
// step count); maxSqs holds zeros unless AMSGrad. Parameter k owns elements [start[k], start[k + 1]).
extern "C" __global__ void adam_multi_f(Addrs params, Addrs grads, Addrs avgs, Addrs avgSqs, Addrs maxSqs, Starts start, Floats sqrtBc2,
                                        Floats negStep, int count, int decayMode, float wd, float shrink, float b1, float c1, float b2,
                                        float c2, float eps, int total) {
    GRID_STRIDE(i, total) {
        OWNER(lo, start, count, i);
        adam_element((float*) params.a[lo], (const float*) grads.a[lo], (float*) avgs.a[lo], (float*) avgSqs.a[lo], (float*) maxSqs.a[lo],
                     i - start.a[lo], decayMode, wd, shrink, b1, c1, b2, c2, sqrtBc2.a[lo], eps, negStep.a[lo]);
    }
}
