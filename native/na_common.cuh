// NativeAttention common device header: the first piece of every compile unit.
// Header-free on purpose: NVRTC ships neither cuda_fp16.h nor cuda_bf16.h, so 16-bit floats live here as raw bits
// and every tensor-core, shared-memory and async-copy instruction is wrapped in inline PTX.
// Compile-unit order: na_common.cuh, the spec's CudaSource, na_params.cuh, one kernel file (see native/README.md).
// Requires -DNA_DTYPE=bf16 or -DNA_DTYPE=fp16 and an sm_80 or newer target.
typedef unsigned short na_u16;
typedef unsigned int na_u32;
typedef unsigned long long na_u64;
typedef long long na_i64;

#define NA_DTYPE_ID_bf16 1
#define NA_DTYPE_ID_fp16 2
#define NA_CAT_(a, b) a##b
#define NA_CAT(a, b) NA_CAT_(a, b)
#define NA_DTYPE_ID NA_CAT(NA_DTYPE_ID_, NA_DTYPE)

#if NA_DTYPE_ID == 1
#define NA_DTYPE_IS_BF16 1
#elif NA_DTYPE_ID == 2
#define NA_DTYPE_IS_BF16 0
#else
#error "NA_DTYPE must be defined as bf16 or fp16"
#endif

#define NA_LOG2E 1.4426950408889634f
#define NA_LN2 0.6931471805599453f

__device__ __forceinline__ float na_neg_inf() { return __int_as_float(0xff800000); }

// ---- 16-bit float conversions (round to nearest even) ----

__device__ __forceinline__ float na_to_float(na_u16 x)
{
#if NA_DTYPE_IS_BF16
    return __uint_as_float(((na_u32)x) << 16);
#else
    float f;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(x));
    return f;
#endif
}

__device__ __forceinline__ na_u16 na_from_float(float f)
{
    na_u16 x;
#if NA_DTYPE_IS_BF16
    asm("cvt.rn.bf16.f32 %0, %1;" : "=h"(x) : "f"(f));
#else
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(x) : "f"(f));
#endif
    return x;
}

// Packs two floats into one 32-bit register: lo in the low half (the lower column), hi in the high half.
__device__ __forceinline__ na_u32 na_pack2(float lo, float hi)
{
    na_u32 r;
#if NA_DTYPE_IS_BF16
    asm("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
#else
    asm("cvt.rn.f16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
#endif
    return r;
}

// ---- fast math ----

// 2^x; ex2.approx maps -inf to +0, which the online softmax relies on for masked scores.
__device__ __forceinline__ float na_exp2(float x)
{
    float y;
    asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
    return y;
}

__device__ __forceinline__ float na_log2(float x)
{
    float y;
    asm("lg2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
    return y;
}

// ---- tensor cores: D = A·B + D, m16n8k16, 16-bit operands, fp32 accumulate ----

__device__ __forceinline__ void na_mma16816(float (&d)[4], const na_u32 (&a)[4], na_u32 b0, na_u32 b1)
{
#if NA_DTYPE_IS_BF16
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 "
                 "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
#else
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 "
                 "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
#endif
}

// ---- shared memory ----

__device__ __forceinline__ na_u32 na_smem_addr(const void* p)
{
    na_u32 a;
    asm("{ .reg .u64 t; cvta.to.shared.u64 t, %1; cvt.u32.u64 %0, t; }" : "=r"(a) : "l"(p));
    return a;
}

// Four 8x8 16-bit matrices; lanes 8i..8i+7 give the row addresses of matrix i, register i receives matrix i.
__device__ __forceinline__ void na_ldmatrix_x4(na_u32 (&r)[4], na_u32 addr)
{
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(addr));
}

// As na_ldmatrix_x4, each matrix transposed: what a row-major [key][dim] tile needs to act as the B operand.
__device__ __forceinline__ void na_ldmatrix_x4_trans(na_u32 (&r)[4], na_u32 addr)
{
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(addr));
}

// Element offset of 16-byte chunk `chunk` of row `row` in a [rows][dim] tile whose chunks are XOR-swizzled by the
// row's low three bits: the eight rows an ldmatrix phase reads, or a copy phase writes, hit eight distinct bank groups.
// Needs dim >= 64 (eight chunks per row).
__device__ __forceinline__ int na_swizzle(int row, int chunk, int dim)
{
    return row * dim + ((chunk ^ (row & 7)) << 3);
}

// Byte offsets, within a swizzled row, of the 16-byte chunks 8a + 2j + half (j = 0..3) that a lane with swizzle key
// `swz` reads, less 128·a: the ldmatrix operand for chunk pair kk is then row + cols[kk & 3] + (kk >> 2) * 128, so
// only four lane-dependent offsets stay live and the rest folds into immediates. Valid because swz < 8.
__device__ __forceinline__ void na_frag_cols(na_u32 (&cols)[4], int half, int swz)
{
#pragma unroll
    for (int j = 0; j < 4; ++j)
        cols[j] = ((2 * j + half) ^ swz) << 4;
}

// ---- asynchronous global -> shared copies ----

// Copies 16 bytes, or zero-fills them when src_bytes is 0 (rows past the end of a sequence).
__device__ __forceinline__ void na_cp_async16(na_u32 dst, const void* src, int src_bytes)
{
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;" ::"r"(dst), "l"(src), "r"(src_bytes) : "memory");
}

__device__ __forceinline__ void na_cp_async_commit()
{
    asm volatile("cp.async.commit_group;" ::: "memory");
}

// `Threads` threads copy rows [row0, row0 + Rows) of a [seq][Dim] tensor into a swizzled [Rows][Dim] tile, one
// 16-byte chunk each per pass; rows at or past `limit` are zero-filled so that padding contributes exact zeros.
// Each thread keeps one chunk column, so its swizzle and global pointer advance by constants between passes.
template <int Rows, int Dim, int Threads>
__device__ __forceinline__ void na_load_tile(na_u32 dst, const na_u16* src, na_i64 seq_stride, int row0, int limit,
                                             int tid)
{
    constexpr int chunks_per_row = Dim / 8;
    static_assert(Threads % chunks_per_row == 0, "a pass must cover whole rows");
    constexpr int rows_per_pass = Threads / chunks_per_row;
    static_assert(Rows % rows_per_pass == 0, "the tile must be a whole number of passes");
    const int chunk = tid % chunks_per_row;
    const int first_row = tid / chunks_per_row;
    const int rows_left = limit - row0 - first_row;
    const na_u16* g = src + (na_i64)(row0 + first_row) * seq_stride + chunk * 8;
#pragma unroll
    for (int i = 0; i < Rows / rows_per_pass; ++i)
    {
        const bool valid = i * rows_per_pass < rows_left;
        na_cp_async16(dst + na_swizzle(i * rows_per_pass + first_row, chunk, Dim) * 2,
                      valid ? g + (na_i64)(i * rows_per_pass) * seq_stride : src, valid ? 16 : 0);
    }
}

template <int N>
__device__ __forceinline__ void na_cp_async_wait()
{
    asm volatile("cp.async.wait_group %0;" ::"n"(N) : "memory");
}

// ---- warp reductions over the four lanes that share an mma accumulator row ----

__device__ __forceinline__ float na_quad_max(float x)
{
    x = fmaxf(x, __shfl_xor_sync(0xffffffffu, x, 1));
    return fmaxf(x, __shfl_xor_sync(0xffffffffu, x, 2));
}

__device__ __forceinline__ float na_quad_sum(float x)
{
    x += __shfl_xor_sync(0xffffffffu, x, 1);
    return x + __shfl_xor_sync(0xffffffffu, x, 2);
}
