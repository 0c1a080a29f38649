// For the fake cuBLAS and cuDNN: whether an operand lies inside one device allocation of the fake
// libcudart (cudaFakeInside, found in the copy JavaCPP loaded first). A GPU would fault on an
// operand that does not, or read and write other tensors; the fakes fail the call instead.

#pragma once

#include <dlfcn.h>

#include <cstddef>

namespace fake {

inline bool on_device(const void* p, size_t bytes) {
    using InsideFn = int (*)(const void*, size_t);
    static InsideFn inside = [] {
        void* h = dlopen("libcudart.so.13", RTLD_LAZY | RTLD_NOLOAD);
        return h == nullptr ? nullptr : reinterpret_cast<InsideFn>(dlsym(h, "cudaFakeInside"));
    }();
    return inside != nullptr && inside(p, bytes) != 0;
}

}  // namespace fake
