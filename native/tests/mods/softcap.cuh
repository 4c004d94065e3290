// Tanh soft-cap of the scores (a float scalar capture), no mask.
#define NA_HAS_SCORE_MOD 1
#define NA_HAS_MASK_MOD 0
struct na_captures
{
    float cap;
};
__device__ __forceinline__ float na_score_mod(float score, int batch, int head, int q, int kv, const na_captures& c)
{
    return c.cap * na_tanh(na_fdiv(score, c.cap));
}
__device__ __forceinline__ bool na_mask_mod(int batch, int head, int q, int kv, const na_captures& c)
{
    return true;
}
