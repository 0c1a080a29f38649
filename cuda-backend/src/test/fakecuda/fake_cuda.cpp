// libcuda.so.1 for a machine without a GPU: the driver calls Cortado makes. A module is accepted
// as NVRTC made it (CUBIN or PTX, checked only for its magic); its kernels run in the kernel
// emulator, which this file includes with kernels.cu (see build.sh), with every pointer argument
// checked against the fake libcudart's live allocations. A failed launch's reason is the text
// cuGetErrorString gives for it.

#include "cuda_emulator.cpp"
#include "fake_device_memory.h"
#include "fake_faults.h"

#include <string>

namespace {

struct Module {
    bool loaded;
};

enum { LAUNCH_FAILED = 719 };

thread_local std::string launch_error;

}  // namespace

extern "C" {

FAKE_FAIL_SETTER(cuFakeFail)

int cuGetErrorString(int error, const char** text) {
    static thread_local std::string s;
    s = "fake driver error " + std::to_string(error);
    if (error == LAUNCH_FAILED && !launch_error.empty()) {
        s += ": " + launch_error;
    }
    *text = s.c_str();
    return 0;
}

int cuModuleLoadData(Module** module, const void* image) {
    if (int s = fake::injected("cuModuleLoadData")) {
        return s;
    }
    const unsigned char* b = static_cast<const unsigned char*>(image);
    bool elf = b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    bool ptx = std::strstr(static_cast<const char*>(image), ".version") != nullptr;
    if (!elf && !ptx) {
        return 200;  // CUDA_ERROR_INVALID_IMAGE
    }
    *module = new Module{true};
    return 0;
}

int cuModuleGetFunction(const char** function, Module* module, const char* name) {
    if (module == nullptr || !module->loaded) {
        return 400;  // CUDA_ERROR_INVALID_HANDLE
    }
    for (const emu::Kernel& k : emu::kernels) {
        if (std::strcmp(k.name, name) == 0) {
            *function = k.name;
            return 0;
        }
    }
    return 500;  // CUDA_ERROR_NOT_FOUND
}

int cuLaunchKernel(const char* function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned shared,
                   void* stream, void** params, void** extra) {
    launch_error.clear();
    if (int s = fake::injected("cuLaunchKernel")) {
        return s;
    }
    if (gy != 1 || gz != 1 || by != 1 || bz != 1 || shared != 0 || stream != nullptr || extra != nullptr) {
        std::fprintf(stderr, "fake cuLaunchKernel(%s): only 1-d launches on the default stream, without extra, are emulated\n", function);
        return 1;  // CUDA_ERROR_INVALID_VALUE
    }
    const long long* pairs = nullptr;
    int count = 0;
    if (!fake::live_allocations(&pairs, &count)) {
        std::fprintf(stderr, "fake cuLaunchKernel(%s): the fake libcudart.so.13 (cudaFakeLive) is not loaded\n", function);
        return 1;  // CUDA_ERROR_INVALID_VALUE
    }
    const char* error = emu_launch(function, (int) gx, (int) bx, params, nullptr, 0, pairs, count);
    if (error != nullptr) {
        launch_error = error;
        return LAUNCH_FAILED;
    }
    return 0;
}

}  // extern "C"
