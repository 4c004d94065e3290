// Document mask: a query attends to keys of its own document; per-position document ids are an int span capture
// indexed by absolute position (queries before position 0, when seq_q > seq_kv, see nothing).
#define NA_HAS_SCORE_MOD 0
#define NA_HAS_MASK_MOD 1
struct na_captures
{
    const int* doc_ids;
    int doc_ids_length;
};
__device__ __forceinline__ float na_score_mod(float score, int batch, int head, int q, int kv, const na_captures& c)
{
    return score;
}
__device__ __forceinline__ bool na_mask_mod(int batch, int head, int q, int kv, const na_captures& c)
{
    return q >= 0 && c.doc_ids[q] == c.doc_ids[kv];
}
