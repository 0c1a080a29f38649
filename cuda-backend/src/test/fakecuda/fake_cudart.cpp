// libcudart.so.13 for a machine without a GPU: two devices, whose memory is host memory; copies
// are memcpy, events read the clock. Each host thread has a current device (cudaSetDevice), and
// the device side of a copy or memset must lie inside one allocation of that device (a GPU would
// fault or write over another tensor); cudaFree takes only what cudaMalloc gave.
// With the other fakes of this folder it lets the real CUDA backend, its JavaCPP bindings
// included, run on the CPU (see build.sh). Only the calls Cortado makes.

#include <driver_types.h>

#include "fake_faults.h"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace {

cudaError_t last = cudaSuccess;

cudaError_t fail(cudaError_t e) {
    last = e;
    return e;
}

struct Event {
    double ms;
    bool recorded;
};

constexpr int DEVICES = 2;
thread_local int current = 0;

// Every allocation by start address, with its device (PINNED for cudaMallocHost's): what cudaFree
// and cudaFreeHost accept, and the ranges that copies, memsets and (through cudaFakeLive) kernels
// may touch.
constexpr int PINNED = -1;

struct Block {
    size_t bytes;
    int device;
};

std::mutex memory_lock;
std::map<uintptr_t, Block> blocks;

cudaError_t allocate(void** p, size_t bytes, int device) {
    if (posix_memalign(p, 256, bytes == 0 ? 256 : bytes) != 0) {
        *p = nullptr;
        return fail(cudaErrorMemoryAllocation);
    }
    std::lock_guard<std::mutex> g(memory_lock);
    blocks[reinterpret_cast<uintptr_t>(*p)] = {bytes, device};
    return cudaSuccess;
}

cudaError_t release(void* p, bool pinned) {
    if (p == nullptr) {
        return cudaSuccess;
    }
    {
        std::lock_guard<std::mutex> g(memory_lock);
        auto it = blocks.find(reinterpret_cast<uintptr_t>(p));
        if (it == blocks.end() || (it->second.device == PINNED) != pinned) {
            return fail(cudaErrorInvalidValue);
        }
        blocks.erase(it);
    }
    std::free(p);
    return cudaSuccess;
}

// The allocation with the highest start at or below a, which may or may not reach a; null where
// none starts there. The caller holds memory_lock.
const std::pair<const uintptr_t, Block>* block_at(uintptr_t a) {
    auto it = blocks.upper_bound(a);
    return it == blocks.begin() ? nullptr : &*std::prev(it);
}

// Whether [p, p + bytes) lies inside one allocation of this thread's current device.
bool on_device(const void* p, size_t bytes) {
    uintptr_t a = reinterpret_cast<uintptr_t>(p);
    std::lock_guard<std::mutex> g(memory_lock);
    const auto* b = block_at(a);
    return b != nullptr && b->second.device == current && a - b->first <= b->second.bytes && bytes <= b->second.bytes - (a - b->first);
}

double now_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

extern "C" {

FAKE_FAIL_SETTER(cudaFakeFail)

cudaError_t cudaGetDeviceCount(int* count) {
    if (int s = fake::injected("cudaGetDeviceCount")) {
        return fail((cudaError_t) s);
    }
    *count = DEVICES;
    return cudaSuccess;
}

cudaError_t cudaSetDevice(int device) {
    if (device < 0 || device >= DEVICES) {
        return fail(cudaErrorInvalidDevice);
    }
    current = device;
    return cudaSuccess;
}

const char* cudaGetErrorString(cudaError_t e) {
    static thread_local std::string s;
    s = "fake cudart error " + std::to_string((int) e);
    return s.c_str();
}

cudaError_t cudaGetLastError() {
    cudaError_t e = last;
    last = cudaSuccess;
    return e;
}

cudaError_t cudaMalloc(void** p, size_t bytes) {
    return allocate(p, bytes, current);
}

cudaError_t cudaFree(void* p) {
    return release(p, false);
}

cudaError_t cudaMallocHost(void** p, size_t bytes) {
    return allocate(p, bytes, PINNED);
}

cudaError_t cudaFreeHost(void* p) {
    return release(p, true);
}

// Which memory p points into: a device's, pinned host memory, or neither (unregistered).
cudaError_t cudaPointerGetAttributes(cudaPointerAttributes* attributes, const void* p) {
    uintptr_t a = reinterpret_cast<uintptr_t>(p);
    std::memset(attributes, 0, sizeof *attributes);
    attributes->type = cudaMemoryTypeUnregistered;
    attributes->device = -2;
    std::lock_guard<std::mutex> g(memory_lock);
    const auto* b = block_at(a);
    if (b != nullptr && a - b->first < (b->second.bytes == 0 ? 1 : b->second.bytes)) {
        bool pinned = b->second.device == PINNED;
        attributes->type = pinned ? cudaMemoryTypeHost : cudaMemoryTypeDevice;
        attributes->device = pinned ? 0 : b->second.device;
        (pinned ? attributes->hostPointer : attributes->devicePointer) = const_cast<void*>(p);
    }
    return cudaSuccess;
}

// Whether [p, p + bytes) lies inside one device allocation, for the fake cuBLAS and cuDNN.
int cudaFakeInside(const void* p, size_t bytes) {
    return on_device(p, bytes) ? 1 : 0;
}

// The current device's live allocations as (address, bytes) pairs in ascending order, for the
// fake libcuda's launches (the kernel emulator checks every pointer argument against them). The
// array stays valid on this thread until its next call.
int cudaFakeLive(const long long** pairs, int* count) {
    static thread_local std::vector<long long> snapshot;
    std::lock_guard<std::mutex> g(memory_lock);
    snapshot.clear();
    for (const auto& b : blocks) {
        if (b.second.device == current) {
            snapshot.push_back((long long) b.first);
            snapshot.push_back((long long) b.second.bytes);
        }
    }
    *pairs = snapshot.data();
    *count = (int) (snapshot.size() / 2);
    return 0;
}

cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind) {
    if (int s = fake::injected("cudaMemcpy")) {
        return fail((cudaError_t) s);
    }
    if (kind < cudaMemcpyHostToHost || kind > cudaMemcpyDefault) {
        return fail(cudaErrorInvalidMemcpyDirection);
    }
    bool device_src = kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
    bool device_dst = kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
    if ((device_src && !on_device(src, bytes)) || (device_dst && !on_device(dst, bytes))) {
        return fail(cudaErrorInvalidValue);
    }
    std::memmove(dst, src, bytes);
    return cudaSuccess;
}

cudaError_t cudaMemset(void* p, int value, size_t bytes) {
    if (!on_device(p, bytes)) {
        return fail(cudaErrorInvalidValue);
    }
    std::memset(p, value, bytes);
    return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize() {
    return cudaSuccess;
}

cudaError_t cudaEventCreate(cudaEvent_t* e) {
    *e = reinterpret_cast<cudaEvent_t>(new Event{0, false});
    return cudaSuccess;
}

cudaError_t cudaEventRecord(cudaEvent_t e, cudaStream_t) {
    Event* ev = reinterpret_cast<Event*>(e);
    ev->ms = now_ms();
    ev->recorded = true;
    return cudaSuccess;
}

cudaError_t cudaEventQuery(cudaEvent_t) {
    if (int s = fake::injected("cudaEventQuery")) {
        return fail((cudaError_t) s);
    }
    return cudaSuccess;
}

cudaError_t cudaEventSynchronize(cudaEvent_t) {
    return cudaSuccess;
}

cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end) {
    Event* a = reinterpret_cast<Event*>(start);
    Event* b = reinterpret_cast<Event*>(end);
    if (!a->recorded || !b->recorded) {
        return fail(cudaErrorInvalidResourceHandle);
    }
    *ms = (float) (b->ms - a->ms);
    return cudaSuccess;
}

cudaError_t cudaEventDestroy(cudaEvent_t e) {
    delete reinterpret_cast<Event*>(e);
    return cudaSuccess;
}

cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attr, int device) {
    if (device < 0 || device >= DEVICES) {
        return fail(cudaErrorInvalidDevice);
    }
    if (attr == cudaDevAttrComputeCapabilityMajor) {
        *value = 9;
    } else if (attr == cudaDevAttrComputeCapabilityMinor) {
        *value = 0;
    } else {
        return fail(cudaErrorInvalidValue);
    }
    return cudaSuccess;
}

cudaError_t cudaGetDeviceProperties(cudaDeviceProp* p, int device) {
    if (device < 0 || device >= DEVICES) {
        return fail(cudaErrorInvalidDevice);
    }
    std::memset(p, 0, sizeof *p);
    std::strcpy(p->name, "fake GPU (host memory)");
    p->major = 9;
    p->minor = 0;
    p->totalGlobalMem = 64ULL << 30;
    p->multiProcessorCount = 132;
    return cudaSuccess;
}

cudaError_t cudaDriverGetVersion(int* v) {
    *v = 13010;
    return cudaSuccess;
}

cudaError_t cudaRuntimeGetVersion(int* v) {
    *v = 13010;
    return cudaSuccess;
}

}  // extern "C"
