// Dense attention: no score mod, no mask mod, no captures.
#define NA_HAS_SCORE_MOD 0
#define NA_HAS_MASK_MOD 0
struct na_captures
{
    int na_unused;
};
__device__ __forceinline__ float na_score_mod(float score, int batch, int head, int q, int kv, const na_captures& c)
{
    return score;
}
__device__ __forceinline__ bool na_mask_mod(int batch, int head, int q, int kv, const na_captures& c)
{
    return true;
}
