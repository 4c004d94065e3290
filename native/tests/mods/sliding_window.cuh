// Causal sliding window of `window` keys (an int scalar capture): kv in (q - window, q].
#define NA_HAS_SCORE_MOD 0
#define NA_HAS_MASK_MOD 1
struct na_captures
{
    int window;
};
__device__ __forceinline__ float na_score_mod(float score, int batch, int head, int q, int kv, const na_captures& c)
{
    return score;
}
__device__ __forceinline__ bool na_mask_mod(int batch, int head, int q, int kv, const na_captures& c)
{
    return kv <= q && q - kv < c.window;
}
