namespace NativeAttention.Tests.CudaRuntime;

/// <summary>Small header-free kernels for the NVRTC and GPU tests.</summary>
internal static class TestKernels
{
    public const string Saxpy = """
        extern "C" __global__ void saxpy(float* __restrict__ output, const float* __restrict__ x, const float* __restrict__ y, float a, int n)
        {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) output[i] = a * x[i] + y[i];
        }
        """;

    /// <summary>Each block stages its slice in dynamic shared memory and writes it back reversed.</summary>
    public const string ReverseThroughSharedMemory = """
        extern "C" __global__ void reverse_blocks(float* __restrict__ output, const float* __restrict__ input, int perBlock)
        {
            extern __shared__ float staged[];
            const float* in = input + (long long)blockIdx.x * perBlock;
            float* out = output + (long long)blockIdx.x * perBlock;
            for (int i = threadIdx.x; i < perBlock; i += blockDim.x) staged[i] = in[i];
            __syncthreads();
            for (int i = threadIdx.x; i < perBlock; i += blockDim.x) out[i] = staged[perBlock - 1 - i];
        }
        """;

    public const string SyntaxError = """
        extern "C" __global__ void broken(float* y)
        {
            y[threadIdx.x] = undeclared_identifier_xyz * 2.0f;
        }
        """;
}
