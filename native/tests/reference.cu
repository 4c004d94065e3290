// Test-only kernels: a naive attention reference (one block per query row, fp32 throughout, precise expf/logf),
// a hash-based random fill and a 16-bit -> fp32 conversion. The last piece of a reference unit: na_common.cuh, the
// spec's CudaSource, na_params.cuh, tests/reference_params.cuh, this file. Needs only -DNA_DTYPE.

#define NA_REF_THREADS 128

// Grid (seq_q, heads, batch), NA_REF_THREADS threads, dynamic shared memory (seq_kv + NA_REF_THREADS) floats.
extern "C" __global__ void __launch_bounds__(NA_REF_THREADS) na_reference_forward(const na_reference_params p)
{
    extern __shared__ float na_ref_smem[];
    float* scores = na_ref_smem;
    float* red = na_ref_smem + p.seq_kv;
    const int qi = blockIdx.x;
    const int head = blockIdx.y;
    const int batch = blockIdx.z;
    const int kv_head = head / (p.heads / p.kv_heads);
    const int q_pos = qi + p.seq_kv - p.seq_q;
    const na_u16* q = (const na_u16*)p.q + batch * p.q_batch_stride + head * p.q_head_stride + qi * p.q_seq_stride;
    const na_u16* k = (const na_u16*)p.k + batch * p.k_batch_stride + kv_head * p.k_head_stride;
    const na_u16* v = (const na_u16*)p.v + batch * p.v_batch_stride + kv_head * p.v_head_stride;

    float local_max = na_neg_inf();
    for (int kv = threadIdx.x; kv < p.seq_kv; kv += NA_REF_THREADS)
    {
        bool keep = true;
#if NA_HAS_MASK_MOD
        keep = na_mask_mod(batch, head, q_pos, kv, p.caps);
#endif
        float s = na_neg_inf();
        if (keep)
        {
            float dot = 0.0f;
            for (int d = 0; d < p.head_dim; ++d)
                dot = fmaf(na_to_float(q[d]), na_to_float(k[kv * p.k_seq_stride + d]), dot);
            s = dot * p.scale;
#if NA_HAS_SCORE_MOD
            s = na_score_mod(s, batch, head, q_pos, kv, p.caps);
#endif
        }
        scores[kv] = s;
        local_max = fmaxf(local_max, s);
    }
    red[threadIdx.x] = local_max;
    __syncthreads();
    for (int w = NA_REF_THREADS / 2; w > 0; w >>= 1)
    {
        if (threadIdx.x < w)
            red[threadIdx.x] = fmaxf(red[threadIdx.x], red[threadIdx.x + w]);
        __syncthreads();
    }
    const float mx = red[0];
    __syncthreads();

    float local_sum = 0.0f;
    for (int kv = threadIdx.x; kv < p.seq_kv; kv += NA_REF_THREADS)
    {
        const float e = mx == na_neg_inf() ? 0.0f : expf(scores[kv] - mx);
        scores[kv] = e;
        local_sum += e;
    }
    red[threadIdx.x] = local_sum;
    __syncthreads();
    for (int w = NA_REF_THREADS / 2; w > 0; w >>= 1)
    {
        if (threadIdx.x < w)
            red[threadIdx.x] += red[threadIdx.x + w];
        __syncthreads();
    }
    const float sum = red[0];

    const na_i64 row = ((na_i64)batch * p.heads + head) * p.seq_q + qi;
    for (int d = threadIdx.x; d < p.value_dim; d += NA_REF_THREADS)
    {
        float acc = 0.0f;
        for (int kv = 0; kv < p.seq_kv; ++kv)
            acc = fmaf(scores[kv], na_to_float(v[kv * p.v_seq_stride + d]), acc);
        p.o[row * p.value_dim + d] = sum > 0.0f ? acc / sum : 0.0f;
    }
    if (threadIdx.x == 0)
        p.lse[row] = sum > 0.0f ? mx + logf(sum) : na_neg_inf();
}

__device__ __forceinline__ float na_test_uniform(na_u64 i, na_u32 seed)
{
    na_u64 x = i * 0x9E3779B97F4A7C15ull + seed * 0xBF58476D1CE4E5B9ull + 1;
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 31;
    return (float)(x >> 40) * (1.0f / 16777216.0f) * 2.0f - 1.0f;
}

// dst[i] = uniform(-amplitude, amplitude), rounded to NA_DTYPE.
extern "C" __global__ void na_test_fill(na_u16* dst, na_i64 n, na_u32 seed, float amplitude)
{
    for (na_i64 i = blockIdx.x * (na_i64)blockDim.x + threadIdx.x; i < n; i += (na_i64)gridDim.x * blockDim.x)
        dst[i] = na_from_float(amplitude * na_test_uniform(i, seed));
}

extern "C" __global__ void na_test_to_float(const na_u16* src, float* dst, na_i64 n)
{
    for (na_i64 i = blockIdx.x * (na_i64)blockDim.x + threadIdx.x; i < n; i += (na_i64)gridDim.x * blockDim.x)
        dst[i] = na_to_float(src[i]);
}
