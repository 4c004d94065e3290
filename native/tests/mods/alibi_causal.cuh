// ALiBi with a causal mask: per-head slopes (a float span capture) times the signed distance.
#define NA_HAS_SCORE_MOD 1
#define NA_HAS_MASK_MOD 1
struct na_captures
{
    const float* slopes;
    int slopes_length;
};
__device__ __forceinline__ float na_score_mod(float score, int batch, int head, int q, int kv, const na_captures& c)
{
    return score + c.slopes[head] * (float)(kv - q);
}
__device__ __forceinline__ bool na_mask_mod(int batch, int head, int q, int kv, const na_captures& c)
{
    return kv <= q;
}
