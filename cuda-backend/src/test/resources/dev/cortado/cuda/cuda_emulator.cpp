// Runs kernels.cu on the CPU, for the tests of machines without a GPU. Each block's threads are
// fibers on one OS thread that switch only at __syncthreads(), so a block runs as the GPU would
// run it with every interleaving the barriers allow, and __shared__ memory is a static: only one
// block runs at a time. A kernel whose first launch reached no barrier runs its threads as plain
// calls from then on (and fails if it ever reaches one). Launches are checked as cuLaunchKernel cannot check them: the number,
// sizes and alignment of the arguments, pointers into the device's live allocations (with the
// elements a layout reaches), barriers that not every thread of a block reaches, and integer
// division by zero (which would otherwise end the JVM).
//
// Built by the tests with: g++ -std=c++17 -O1 -ffp-contract=off -U_FORTIFY_SOURCE -shared -fPIC -I<dir with kernels.cu and kernel_table.inc>
// and, where the compiler has its runtime, the undefined-behaviour sanitizer (KernelEmulator.SANITIZER)
// (_FORTIFY_SOURCE would reject the longjmps between fiber stacks)

#include <atomic>
#include <csetjmp>
#include <csignal>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>
#include <pthread.h>
#include <ucontext.h>

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static

namespace emu {
struct Dim3 {
    unsigned x, y, z;
};
}  // namespace emu

static emu::Dim3 threadIdx, blockIdx, blockDim, gridDim;

static void __syncthreads();

static inline float __int_as_float(int v) {
    float f;
    std::memcpy(&f, &v, sizeof f);
    return f;
}

static inline unsigned int __umulhi(unsigned int a, unsigned int b) {
    return (unsigned int) (((unsigned long long) a * b) >> 32);
}

static inline int __float_as_int(float v) {
    int i;
    std::memcpy(&i, &v, sizeof i);
    return i;
}

static inline double __longlong_as_double(long long v) {
    double d;
    std::memcpy(&d, &v, sizeof d);
    return d;
}

// Fibers never run at the same time, so a plain read-modify-write is atomic here.
static inline float atomicAdd(float* p, float v) {
    float old = *p;
    *p = old + v;
    return old;
}

// Round-to-nearest float arithmetic; the emulator is built with -ffp-contract=off, so nothing
// here or in the kernels becomes a fused multiply-add.
static inline float __fadd_rn(float a, float b) {
    return a + b;
}

static inline float __fsub_rn(float a, float b) {
    return a - b;
}

static inline float __fmul_rn(float a, float b) {
    return a * b;
}

static inline float __fdiv_rn(float a, float b) {
    return a / b;
}

static inline float __fsqrt_rn(float a) {
    return std::sqrt(a);
}

static inline int min(int a, int b) {
    return a < b ? a : b;
}

static inline int max(int a, int b) {
    return a > b ? a : b;
}

using std::isnan;

#include "kernels.cu"

namespace emu {

enum State { RUNNABLE, AT_BARRIER, RETURNED };

// A fiber starts on its own stack through makecontext/swapcontext once per launch; after that,
// it and the scheduler switch with _setjmp/_longjmp, which (unlike swapcontext) make no system
// call: a reduction launches thousands of blocks of 256 threads with a dozen barriers each.
struct Fiber {
    ucontext_t start;
    jmp_buf resume;
    bool started;
    State state;
    std::vector<char> stack;
};

constexpr size_t STACK_BYTES = 64 * 1024;

jmp_buf scheduler;
std::vector<Fiber> fibers;
int current;
void (*body)(void**);
void** arguments;
std::mutex one_launch_at_a_time;

void yield(State state) {
    Fiber& f = fibers[current];
    f.state = state;
    if (_setjmp(f.resume) == 0) {
        _longjmp(scheduler, 1);
    }
}

// A fiber runs the kernel once per block; between blocks it waits as RETURNED.
void entry() {
    for (;;) {
        body(arguments);
        yield(RETURNED);
    }
}

// Set while a kernel that never reached a barrier in an earlier launch runs each thread as a
// plain call, without fibers (elementwise kernels: a fiber switch per thread cost ten times more).
bool direct;
bool reached_barrier;

struct BarrierInDirectMode {};

void barrier() {
    if (direct) {
        throw BarrierInDirectMode();
    }
    reached_barrier = true;
    yield(AT_BARRIER);
}

thread_local std::string error;

// What a sanitizer the emulator was built with (-fsanitize=undefined) reported during a launch.
std::string sanitizer_report;

// A kernel that divides an integer by zero raises SIGFPE, which would end the JVM. While a launch
// runs, this handler takes the launching thread back to emu_launch, which fails the launch. On any
// other thread the signal is not the emulator's (HotSpot raises it for a Java division by zero and
// turns it into an ArithmeticException), so it goes on to the handler that was there before.
// The launching thread is compared by pthread_self, not kept in a thread_local, since a first
// access to a shared library's thread_local may allocate, which a signal handler must not.
std::atomic<sigjmp_buf*> fpe_trap;
pthread_t fpe_thread;
struct sigaction fpe_previous;

void on_fpe(int sig, siginfo_t* info, void* context) {
    sigjmp_buf* trap = fpe_trap.load();
    if (trap != nullptr && pthread_equal(pthread_self(), fpe_thread)) {
        siglongjmp(*trap, 1);
    }
    if ((fpe_previous.sa_flags & SA_SIGINFO) != 0) {
        fpe_previous.sa_sigaction(sig, info, context);
    } else if (fpe_previous.sa_handler != SIG_DFL && fpe_previous.sa_handler != SIG_IGN) {
        fpe_previous.sa_handler(sig);
    } else {
        sigaction(sig, &fpe_previous, nullptr);  // the default: the signal ends the process, as without the emulator
        raise(sig);
    }
}

// Installs on_fpe for one launch on this thread, and puts the previous handler back after it.
struct FpeTrap {
    explicit FpeTrap(sigjmp_buf* at) {
        struct sigaction a = {};
        a.sa_sigaction = on_fpe;
        a.sa_flags = SA_SIGINFO;
        sigemptyset(&a.sa_mask);
        sigaction(SIGFPE, &a, &fpe_previous);
        fpe_thread = pthread_self();
        fpe_trap.store(at);
    }
    ~FpeTrap() {
        fpe_trap.store(nullptr);
        sigaction(SIGFPE, &fpe_previous, nullptr);
    }
};

// The launching device's live allocations, as (address, bytes) pairs in ascending order.
const long long* live;
int live_count;

// The live allocation that holds address p, or -1.
int allocation_of(uintptr_t p) {
    for (int i = 0; i < live_count; i++) {
        uintptr_t start = (uintptr_t) live[2 * i];
        if (p >= start && p < start + (uintptr_t) live[2 * i + 1]) {
            return i;
        }
    }
    return -1;
}

std::string hex(uintptr_t v) {
    char b[32];
    std::snprintf(b, sizeof b, "0x%llx", (unsigned long long) v);
    return b;
}

// The elements [lo, hi) a layout reaches from its pointer; empty for a layout with a size-0 dim.
void extent(const Lay& l, long long* lo, long long* hi) {
    *lo = *hi = l.offset;
    for (int d = 0; d < l.ndim && d < MAXD; d++) {
        if (l.shape[d] <= 0) {
            *lo = *hi = 0;
            return;
        }
        long long span = (long long) (l.shape[d] - 1) * l.stride[d];
        (span < 0 ? *lo : *hi) += span;
    }
    *hi += 1;
}

template <typename T>
constexpr size_t pointee_bytes() {
    using P = std::remove_cv_t<std::remove_pointer_t<T>>;
    if constexpr (std::is_void_v<P>) {
        return 1;
    } else {
        return sizeof(P);
    }
}

// Every pointer argument that is not null must point into one of the device's live allocations,
// and, right after layouts (Lay), reach only elements inside that allocation: a GPU would read
// another tensor's memory or fault, and the emulator would read host memory that is not its own.
// Consecutive layouts before a pointer add up, as the reductions index x at at(kept, k) +
// at(red, j). A kernel that adds its own strides (softmax's rows) is checked for the layouts'
// part only.
template <typename... A>
bool check_pointers(const char* name, void** args) {
    constexpr size_t n = sizeof...(A);
    const bool is_pointer[] = {std::is_pointer_v<std::remove_cv_t<std::remove_reference_t<A>>>..., false};
    const bool is_lay[] = {std::is_same_v<std::remove_cv_t<std::remove_reference_t<A>>, Lay>..., false};
    const size_t bytes[] = {pointee_bytes<std::remove_cv_t<std::remove_reference_t<A>>>()..., 0};
    for (size_t i = 0; i < n; i++) {
        if (!is_pointer[i]) {
            continue;
        }
        uintptr_t p = *static_cast<uintptr_t*>(args[i]);
        if (p == 0) {
            continue;
        }
        long long lo = 0, hi = 1;  // the pointed-to element itself, where no layout comes before it
        int layouts = 0;
        bool empty = false;
        for (size_t j = i; j > 0 && is_lay[j - 1] && !empty; j--, layouts++) {
            long long l, h;
            extent(*static_cast<Lay*>(args[j - 1]), &l, &h);
            empty = l == h;
            lo += l;
            hi += h - 1;
        }
        if (empty) {
            continue;
        }
        long long from = lo * (long long) bytes[i];
        long long to = hi * (long long) bytes[i];
        int a = allocation_of(p);
        if (a < 0) {
            error = std::string(name) + ": argument " + std::to_string(i) + " (" + hex(p) + ") points outside every live allocation of the device";
            return false;
        }
        long long at = (long long) (p - (uintptr_t) live[2 * a]);
        if (at + from < 0 || at + to > live[2 * a + 1]) {
            error = std::string(name) + ": argument " + std::to_string(i) + (layouts > 1 ? ", through the layouts before it" : ", through the layout before it")
                    + ", reaches bytes [" + std::to_string(at + from)
                    + ", " + std::to_string(at + to) + ") of the allocation of " + std::to_string(live[2 * a + 1]) + " bytes at " + hex(live[2 * a]);
            return false;
        }
    }
    return true;
}

// Calls a kernel with its parameters read through cuLaunchKernel's array of pointers, after
// checking that the launch passed as many arguments as the kernel takes, each of its size and
// aligned for its type.
template <typename... A, size_t... I>
void call(void (*kernel)(A...), void** args, std::index_sequence<I...>) {
    kernel(*static_cast<std::remove_cv_t<std::remove_reference_t<A>>*>(args[I])...);
}

template <typename... A>
bool check(const char* name, void (*)(A...), void** args, const long long* sizes, int count) {
    constexpr size_t n = sizeof...(A);
    if ((size_t) count != n) {
        error = std::string(name) + " takes " + std::to_string(n) + " arguments, the launch passed " + std::to_string(count);
        return false;
    }
    const size_t expected[] = {sizeof(std::remove_cv_t<std::remove_reference_t<A>>)..., 0};
    const size_t align[] = {alignof(std::remove_cv_t<std::remove_reference_t<A>>)..., 1};
    for (size_t i = 0; i < n; i++) {
        if ((size_t) sizes[i] != expected[i]) {
            error = std::string(name) + ": argument " + std::to_string(i) + " is " + std::to_string(expected[i]) + " bytes in the kernel, "
                    + std::to_string(sizes[i]) + " in the launch";
            return false;
        }
        if (reinterpret_cast<uintptr_t>(args[i]) % align[i] != 0) {
            error = std::string(name) + ": argument " + std::to_string(i) + " is not aligned to " + std::to_string(align[i]) + " bytes";
            return false;
        }
    }
    return live == nullptr || check_pointers<A...>(name, args);
}

// The pointer checks alone, for a launch that gives no argument sizes (cuLaunchKernel's).
template <typename... A>
bool check_pointers_of(const char* name, void (*)(A...), void** args) {
    return live == nullptr || check_pointers<A...>(name, args);
}

struct Kernel {
    const char* name;
    bool (*check)(void**, const long long*, int);
    bool (*pointers)(void**);
    void (*run)(void**);
};

template <typename... A>
void run(void (*kernel)(A...), void** args) {
    call(kernel, args, std::index_sequence_for<A...>{});
}

#define KERNEL(k)                                                                                          \
    {#k, [](void** a, const long long* s, int c) { return emu::check(#k, ::k, a, s, c); },                 \
     [](void** a) { return emu::check_pointers_of(#k, ::k, a); }, [](void** a) { emu::run(::k, a); }},

const Kernel kernels[] = {
#include "kernel_table.inc"
};

// Per kernel: whether a whole launch of it ran without reaching a barrier.
bool barrier_free[sizeof kernels / sizeof kernels[0]];

}  // namespace emu

static void __syncthreads() {
    emu::barrier();
}

// The sanitizers' runtime passes every line of a report here as well as to stderr, so that a
// launch that did something undefined fails with the report. Unused in a build without them.
extern "C" void __sanitizer_on_print(const char* text) {
    emu::sanitizer_report += text;
}

namespace emu {

// A launch's own error, or else what a sanitizer reported while it ran.
const char* outcome(const char* name) {
    if (error.empty() && !sanitizer_report.empty()) {
        error = std::string(name) + " did something undefined:\n" + sanitizer_report;
    }
    sanitizer_report.clear();
    return error.empty() ? nullptr : error.c_str();
}

}  // namespace emu

// Runs one launch to completion; returns nullptr, or what was wrong with it.
// live holds the device's allocations as (address, bytes) pairs in ascending order, or is null
// to check no pointers; with sizes null, only the pointers are checked, not the arguments' count
// and sizes (cuLaunchKernel's own case: it gets the values only).
extern "C" const char* emu_launch(const char* name, int grid, int block, void** args, const long long* sizes, int count,
                                  const long long* live, int live_count) {
    using namespace emu;
    std::lock_guard<std::mutex> lock(one_launch_at_a_time);
    emu::live = live;
    emu::live_count = live_count;
    error.clear();
    sanitizer_report.clear();
    const Kernel* k = nullptr;
    for (const Kernel& c : kernels) {
        if (std::strcmp(c.name, name) == 0) {
            k = &c;
        }
    }
    if (k == nullptr) {
        error = std::string("kernels.cu has no kernel named ") + name;
        return error.c_str();
    }
    if (grid < 1 || block < 1 || block > 1024) {
        error = std::string(name) + ": invalid launch configuration (grid " + std::to_string(grid) + ", block " + std::to_string(block) + ")";
        return error.c_str();
    }
    if (sizes != nullptr ? !k->check(args, sizes, count) : !k->pointers(args)) {
        return error.c_str();
    }
    sigjmp_buf trap;
    FpeTrap guard(&trap);
    if (sigsetjmp(trap, 1) != 0) {
        direct = false;
        error = std::string(name) + ", block " + std::to_string(blockIdx.x) + ", thread " + std::to_string(threadIdx.x)
                + ": integer division by zero (SIGFPE)" + (sanitizer_report.empty() ? "" : ":\n" + sanitizer_report);
        sanitizer_report.clear();
        return error.c_str();
    }
    body = k->run;
    arguments = args;
    blockDim = {(unsigned) block, 1, 1};
    gridDim = {(unsigned) grid, 1, 1};
    size_t index = k - kernels;
    if (barrier_free[index]) {
        direct = true;
        try {
            for (int b = 0; b < grid; b++) {
                blockIdx = {(unsigned) b, 0, 0};
                for (int t = 0; t < block; t++) {
                    threadIdx = {(unsigned) t, 0, 0};
                    body(args);
                }
            }
        } catch (const BarrierInDirectMode&) {
            error = std::string(name) + " reached __syncthreads() in this launch but in none of an earlier one";
        }
        direct = false;
        return outcome(name);
    }
    reached_barrier = false;
    fibers.resize(block);
    for (Fiber& f : fibers) {
        f.stack.resize(STACK_BYTES);
        f.started = false;
    }
    for (int b = 0; b < grid; b++) {
        blockIdx = {(unsigned) b, 0, 0};
        for (Fiber& f : fibers) {
            f.state = RUNNABLE;
        }
        // Between two barriers the threads run one after another, alternately in ascending and
        // descending order, so that a read that misses a barrier sees a stale value either way.
        for (int phase = 0;; phase++) {
            for (int i = 0; i < block; i++) {
                int t = phase % 2 == 0 ? i : block - 1 - i;
                Fiber& f = fibers[t];
                if (f.state != RUNNABLE) {
                    continue;
                }
                current = t;
                threadIdx = {(unsigned) t, 0, 0};
                if (_setjmp(scheduler) == 0) {
                    if (f.started) {
                        _longjmp(f.resume, 1);
                    }
                    f.started = true;
                    ucontext_t here;
                    getcontext(&f.start);
                    f.start.uc_stack.ss_sp = f.stack.data();
                    f.start.uc_stack.ss_size = f.stack.size();
                    f.start.uc_link = nullptr;  // entry never returns
                    makecontext(&f.start, entry, 0);
                    swapcontext(&here, &f.start);
                }
            }
            int waiting = 0;
            for (const Fiber& f : fibers) {
                waiting += f.state == AT_BARRIER;
            }
            if (waiting == 0) {
                break;
            }
            if (waiting < block) {
                error = std::string(name) + ", block " + std::to_string(b) + ": " + std::to_string(waiting) + " of " + std::to_string(block)
                        + " threads wait at __syncthreads() while the others have returned";
                return error.c_str();
            }
            for (Fiber& f : fibers) {
                f.state = RUNNABLE;
            }
        }
    }
    barrier_free[index] = !reached_barrier;
    return outcome(name);
}
