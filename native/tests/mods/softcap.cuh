// Tanh soft-cap of the scores (a float scalar capture), no mask. The helpers are those the generator emits for
// MathF.Tanh and float division.
#define NA_HAS_SCORE_MOD 1
#define NA_HAS_MASK_MOD 0
struct na_captures
{
    float cap;
};
__device__ __forceinline__ float na_math_fdiv(float a, float b)
{
    float y;
    asm("div.full.f32 %0, %1, %2;" : "=f"(y) : "f"(a), "f"(b));
    return y;
}
__device__ __forceinline__ float na_math_tanhf(float x)
{
    float y;
    asm("tanh.approx.f32 %0, %1;" : "=f"(y) : "f"(x));
    return y;
}
__device__ __forceinline__ float na_score_mod(float score, int batch, int head, int q, int kv, const na_captures& c)
{
    return c.cap * na_math_tanhf(na_math_fdiv(score, c.cap));
}
__device__ __forceinline__ bool na_mask_mod(int batch, int head, int q, int kv, const na_captures& c)
{
    return true;
}
