// For the fake libcuda, cuBLAS and cuDNN: the fake libcudart's record of device memory, through
// symbols of the copy JavaCPP loaded first. A GPU would fault on an operand outside it, or read
// and write other tensors; the fakes fail the call instead.

#pragma once

#include <dlfcn.h>

#include <cstddef>

namespace fake {

// A function of the loaded libcudart.so.13, or null where it is not loaded.
template <typename F>
F cudart_symbol(const char* name) {
    void* h = dlopen("libcudart.so.13", RTLD_LAZY | RTLD_NOLOAD);
    return h == nullptr ? nullptr : reinterpret_cast<F>(dlsym(h, name));
}

// Whether [p, p + bytes) lies inside one allocation of the current device (cudaFakeInside).
inline bool on_device(const void* p, size_t bytes) {
    static auto inside = cudart_symbol<int (*)(const void*, size_t)>("cudaFakeInside");
    return inside != nullptr && inside(p, bytes) != 0;
}

// The current device's live allocations as (address, bytes) pairs in ascending order
// (cudaFakeLive); false where libcudart is not the fake.
inline bool live_allocations(const long long** pairs, int* count) {
    static auto live = cudart_symbol<int (*)(const long long**, int*)>("cudaFakeLive");
    return live != nullptr && live(pairs, count) == 0;
}

}  // namespace fake
