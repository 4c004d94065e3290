// Host side of the native smoke test and benchmark: the CUDA driver API only, as the library uses it (compile units
// arrive as fatbins and are loaded with cuModuleLoadData, kernels take one by-value parameter struct).
#pragma once

#include <cuda.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#define NA_CHECK(call) na_check((call), #call, __FILE__, __LINE__)

inline void na_check(CUresult result, const char* what, const char* file, int line)
{
    if (result == CUDA_SUCCESS)
        return;
    const char* name = "?";
    const char* text = "?";
    cuGetErrorName(result, &name);
    cuGetErrorString(result, &text);
    std::fprintf(stderr, "%s:%d: %s failed: %s (%s)\n", file, line, what, name, text);
    std::exit(2);
}

inline CUcontext na_init_device(int ordinal = 0)
{
    NA_CHECK(cuInit(0));
    CUdevice device;
    NA_CHECK(cuDeviceGet(&device, ordinal));
    CUcontext context;
    NA_CHECK(cuDevicePrimaryCtxRetain(&context, device));
    NA_CHECK(cuCtxSetCurrent(context));
    return context;
}

// A loaded compile unit.
class NaModule
{
public:
    explicit NaModule(const std::string& path)
    {
        std::ifstream file(path, std::ios::binary);
        if (!file)
        {
            std::fprintf(stderr, "cannot open compile unit %s\n", path.c_str());
            std::exit(2);
        }
        std::vector<char> image((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        NA_CHECK(cuModuleLoadData(&module_, image.data()));
    }
    NaModule(const NaModule&) = delete;
    NaModule& operator=(const NaModule&) = delete;
    ~NaModule() { cuModuleUnload(module_); }

    CUfunction function(const char* name) const
    {
        CUfunction f;
        NA_CHECK(cuModuleGetFunction(&f, module_, name));
        return f;
    }

    // Reads an exported `extern "C" __constant__ int name[count]` configuration table.
    std::vector<int> config(const char* name, int count) const
    {
        CUdeviceptr ptr;
        size_t bytes;
        NA_CHECK(cuModuleGetGlobal(&ptr, &bytes, module_, name));
        if (bytes != count * sizeof(int))
        {
            std::fprintf(stderr, "%s has %zu bytes, expected %zu\n", name, bytes, count * sizeof(int));
            std::exit(2);
        }
        std::vector<int> values(count);
        NA_CHECK(cuMemcpyDtoH(values.data(), ptr, bytes));
        return values;
    }

private:
    CUmodule module_ = nullptr;
};

// Device memory owned by the host object.
class NaBuffer
{
public:
    NaBuffer() = default;
    explicit NaBuffer(size_t bytes) : bytes_(bytes) { NA_CHECK(cuMemAlloc(&ptr_, bytes == 0 ? 16 : bytes)); }
    NaBuffer(NaBuffer&& other) noexcept : ptr_(other.ptr_), bytes_(other.bytes_) { other.ptr_ = 0; }
    NaBuffer& operator=(NaBuffer&& other) noexcept
    {
        std::swap(ptr_, other.ptr_);
        std::swap(bytes_, other.bytes_);
        return *this;
    }
    NaBuffer(const NaBuffer&) = delete;
    NaBuffer& operator=(const NaBuffer&) = delete;
    ~NaBuffer()
    {
        if (ptr_ != 0)
            cuMemFree(ptr_);
    }

    CUdeviceptr ptr() const { return ptr_; }
    size_t bytes() const { return bytes_; }
    template <class T>
    T* as() const
    {
        return reinterpret_cast<T*>(ptr_);
    }

    // Fills with 16-bit NaN (0xFFFF is NaN in bf16 and fp16) so unwritten elements fail every comparison.
    void poison16() const { NA_CHECK(cuMemsetD16(ptr_, 0xFFFF, bytes_ / 2)); }
    void poison32() const { NA_CHECK(cuMemsetD32(ptr_, 0x7FC00000u, bytes_ / 4)); }

    template <class T>
    std::vector<T> download() const
    {
        std::vector<T> host(bytes_ / sizeof(T));
        NA_CHECK(cuMemcpyDtoH(host.data(), ptr_, bytes_));
        return host;
    }

    template <class T>
    static NaBuffer upload(const std::vector<T>& host)
    {
        NaBuffer b(host.size() * sizeof(T));
        if (!host.empty())
            NA_CHECK(cuMemcpyHtoD(b.ptr_, host.data(), b.bytes_));
        return b;
    }

private:
    CUdeviceptr ptr_ = 0;
    size_t bytes_ = 0;
};

// Launches a kernel whose only parameter is a struct passed by value; raises the dynamic shared-memory limit
// when needed. Checks the launch itself; callers synchronize where they need the result.
template <class Params>
void na_launch(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned threads, unsigned smem,
               const Params& params, CUstream stream = nullptr)
{
    if (smem > 48 * 1024)
        NA_CHECK(cuFuncSetAttribute(f, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, (int)smem));
    void* args[] = {const_cast<Params*>(&params)};
    NA_CHECK(cuLaunchKernel(f, gx, gy, gz, threads, 1, 1, smem, stream, args, nullptr));
}

// Strides (elements) of a [batch][heads][seq][dim] tensor stored either head-major (BHSD) or sequence-major (BSHD).
struct NaLayout
{
    long long batch;
    long long head;
    long long seq;

    static NaLayout make(bool sequence_major, int heads, int seq, int dim)
    {
        if (sequence_major)
            return {(long long)seq * heads * dim, dim, (long long)heads * dim};
        return {(long long)heads * seq * dim, (long long)seq * dim, dim};
    }
};

inline double na_median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
