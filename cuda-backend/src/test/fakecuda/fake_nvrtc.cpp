// libnvrtc.so.13 for a machine without NVIDIA's libraries: the calls Nvrtc makes, with NVRTC
// 13.1's architectures, options and result codes. It "compiles" exactly one source, the kernels.cu
// that the fake libcuda's emulator was built from (KERNELS_SOURCE, see build.sh): any other source
// fails to compile, so a stale fake build cannot pass for the current kernels. The image is a
// marker with the CUBIN's or PTX's magic, which the fake cuModuleLoadData accepts and a real
// driver rejects.

#include <cstdlib>
#include <cstring>
#include <string>

#include "fake_faults.h"
#include "kernels_source.inc"  // const char KERNELS_SOURCE[]

namespace {

enum { SUCCESS = 0, INVALID_INPUT = 3, INVALID_PROGRAM = 4, INVALID_OPTION = 5, COMPILATION = 6 };

const int ARCHS[] = {75, 80, 86, 87, 88, 89, 90, 100, 103, 110, 120, 121};
const int NUM_ARCHS = sizeof(ARCHS) / sizeof(ARCHS[0]);

struct Program {
    std::string source;
    std::string name;
    std::string log;
    std::string image;
    bool compiled = false;
    bool cubin = false;
};

bool supported(int arch) {
    for (int a : ARCHS) {
        if (a == arch) {
            return true;
        }
    }
    return false;
}

// "--gpu-architecture=sm_90" -> 90 with cubin = true; -1 for anything else.
int architecture(const char* option, bool* cubin) {
    const char* prefix = "--gpu-architecture=";
    if (std::strncmp(option, prefix, std::strlen(prefix)) != 0) {
        return -1;
    }
    const char* value = option + std::strlen(prefix);
    int arch = -1;
    if (std::strncmp(value, "sm_", 3) == 0) {
        *cubin = true;
        arch = std::atoi(value + 3);
    } else if (std::strncmp(value, "compute_", 8) == 0) {
        *cubin = false;
        arch = std::atoi(value + 8);
    }
    return supported(arch) ? arch : -1;
}

// Sizes count a terminating NUL, as NVRTC's PTX sizes do.
int size(const Program* program, bool cubin, size_t* bytes) {
    if (program == nullptr) {
        return INVALID_PROGRAM;
    }
    if (bytes == nullptr || !program->compiled || program->cubin != cubin) {
        return INVALID_INPUT;
    }
    *bytes = program->image.size() + 1;
    return SUCCESS;
}

int copy(const Program* program, bool cubin, char* out) {
    size_t bytes = 0;
    int status = size(program, cubin, &bytes);
    if (status != SUCCESS || out == nullptr) {
        return status != SUCCESS ? status : INVALID_INPUT;
    }
    std::memcpy(out, program->image.c_str(), bytes);
    return SUCCESS;
}

}  // namespace

extern "C" {

FAKE_FAIL_SETTER(nvrtcFakeFail)

const char* nvrtcGetErrorString(int result) {
    static const char* const names[] = {
        "NVRTC_SUCCESS", "NVRTC_ERROR_OUT_OF_MEMORY", "NVRTC_ERROR_PROGRAM_CREATION_FAILURE", "NVRTC_ERROR_INVALID_INPUT",
        "NVRTC_ERROR_INVALID_PROGRAM", "NVRTC_ERROR_INVALID_OPTION", "NVRTC_ERROR_COMPILATION"};
    return result >= 0 && result < (int) (sizeof(names) / sizeof(names[0])) ? names[result] : "NVRTC_ERROR unknown";
}

int nvrtcVersion(int* major, int* minor) {
    if (major == nullptr || minor == nullptr) {
        return INVALID_INPUT;
    }
    *major = 13;
    *minor = 1;
    return SUCCESS;
}

int nvrtcGetNumSupportedArchs(int* count) {
    if (count == nullptr) {
        return INVALID_INPUT;
    }
    *count = NUM_ARCHS;
    return SUCCESS;
}

int nvrtcGetSupportedArchs(int* archs) {
    if (archs == nullptr) {
        return INVALID_INPUT;
    }
    std::memcpy(archs, ARCHS, sizeof(ARCHS));
    return SUCCESS;
}

int nvrtcCreateProgram(Program** program, const char* source, const char* name, int numHeaders, const char* const* headers,
                       const char* const* includeNames) {
    if (program == nullptr || source == nullptr || numHeaders < 0 || (numHeaders > 0 && (headers == nullptr || includeNames == nullptr))) {
        return INVALID_INPUT;
    }
    Program* p = new Program();
    p->source = source;
    p->name = name == nullptr ? "default_program" : name;
    *program = p;
    return SUCCESS;
}

int nvrtcDestroyProgram(Program** program) {
    if (program == nullptr || *program == nullptr) {
        return INVALID_PROGRAM;
    }
    delete *program;
    *program = nullptr;
    return SUCCESS;
}

int nvrtcCompileProgram(Program* program, int numOptions, const char* const* options) {
    if (program == nullptr) {
        return INVALID_PROGRAM;
    }
    if (numOptions < 0 || (numOptions > 0 && options == nullptr)) {
        return INVALID_INPUT;
    }
    int arch = 52;  // NVRTC's default architecture, which 13.1 no longer supports
    bool cubin = false;
    for (int i = 0; i < numOptions; i++) {
        bool c = false;
        int a = architecture(options[i], &c);
        if (a > 0) {
            arch = a;
            cubin = c;
        } else if (std::strcmp(options[i], "--std=c++17") != 0) {
            program->log = std::string("nvrtc: error: invalid or unsupported option: ") + options[i] + "\n";
            return INVALID_OPTION;
        }
    }
    if (!supported(arch)) {
        program->log = "nvrtc: error: no --gpu-architecture given, and the default compute_52 is not supported\n";
        return INVALID_OPTION;
    }
    if (program->source != KERNELS_SOURCE) {
        program->log = program->name + ": fake NVRTC compiles only the kernels.cu that the fake driver's emulator was built from; "
                                       "this source differs from it (rebuild the fakes)\n";
        return COMPILATION;
    }
    // PTX names its target sm_NN, as NVRTC's does even when compiled for compute_NN.
    std::string target = "sm_" + std::to_string(arch);
    program->image = cubin ? "\x7f" "ELF fake CUBIN for " + target + "\n" : ".version 9.1\n.target " + target + "\n// fake PTX\n";
    program->compiled = true;
    program->cubin = cubin;
    return SUCCESS;
}

int nvrtcGetCUBINSize(Program* program, size_t* bytes) {
    if (int s = fake::injected("nvrtcGetCUBINSize")) {
        return s;
    }
    return size(program, true, bytes);
}

int nvrtcGetCUBIN(Program* program, char* cubin) {
    return copy(program, true, cubin);
}

int nvrtcGetPTXSize(Program* program, size_t* bytes) {
    return size(program, false, bytes);
}

int nvrtcGetPTX(Program* program, char* ptx) {
    return copy(program, false, ptx);
}

int nvrtcGetProgramLogSize(Program* program, size_t* bytes) {
    if (program == nullptr) {
        return INVALID_PROGRAM;
    }
    if (bytes == nullptr) {
        return INVALID_INPUT;
    }
    *bytes = program->log.size() + 1;
    return SUCCESS;
}

int nvrtcGetProgramLog(Program* program, char* log) {
    if (program == nullptr) {
        return INVALID_PROGRAM;
    }
    if (log == nullptr) {
        return INVALID_INPUT;
    }
    std::memcpy(log, program->log.c_str(), program->log.size() + 1);
    return SUCCESS;
}

}  // extern "C"
