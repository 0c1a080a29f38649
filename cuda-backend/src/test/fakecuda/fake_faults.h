// Fault injection for the fakes, so that tests reach the error paths a healthy GPU never takes.
// Each library keeps its own table and exports a setter under its prefix (cudaFakeFail,
// cuFakeFail, cublasFakeFail, cudnnFakeFail, nvrtcFakeFail): the next `count` calls of the named
// call then return `status` instead of doing their work; a null call drops every fault not yet used.

#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace fake {

struct Fault {
    std::string call;
    int status;
    int count;
};

inline std::mutex faults_lock;
inline std::vector<Fault> faults;

inline void inject(const char* call, int status, int count) {
    std::lock_guard<std::mutex> g(faults_lock);
    if (call == nullptr) {
        faults.clear();
    } else {
        faults.push_back({call, status, count});
    }
}

// The status the next call of `call` is to fail with, or 0 where none was injected.
inline int injected(const char* call) {
    std::lock_guard<std::mutex> g(faults_lock);
    for (auto it = faults.begin(); it != faults.end(); ++it) {
        if (it->call == call) {
            int status = it->status;
            if (--it->count <= 0) {
                faults.erase(it);
            }
            return status;
        }
    }
    return 0;
}

}  // namespace fake

#define FAKE_FAIL_SETTER(name) \
    extern "C" void name(const char* call, int status, int count) { fake::inject(call, status, count); }
