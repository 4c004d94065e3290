// NativeAttention kernel parameter structs, passed by value. The third piece of every compile unit: it follows the
// spec's CudaSource because every struct ends with the spec's na_captures.
// Host mirrors (the C# launch structs) must keep this field order with natural C alignment: 8-byte pointers and
// int64 strides, 4-byte int and float, then na_captures aligned to its widest member.
// Strides are in elements. The last dimension of every tensor is contiguous, every base pointer is 16-byte aligned
// and every strided row starts 16 bytes aligned (seq, head and batch strides are multiples of 8).
// Scores are q·k·scale with scale > 0; scale_log2 is scale·log2(e), folded so the softmax runs on exp2.

// Flash forward: q [batch][heads][seq_q][NA_HEAD_DIM], k [batch][kv_heads][seq_kv][NA_HEAD_DIM],
// v [batch][kv_heads][seq_kv][NA_VALUE_DIM], o [batch][heads][seq_q][NA_VALUE_DIM], all NA_DTYPE; the dimension order
// is only nominal, the strides place each tensor. Query row i sits at absolute position i + seq_kv - seq_q.
struct na_forward_params
{
    const void* q;
    const void* k;
    const void* v;
    void* o;
    na_i64 q_batch_stride;
    na_i64 q_head_stride;
    na_i64 q_seq_stride;
    na_i64 k_batch_stride;
    na_i64 k_head_stride;
    na_i64 k_seq_stride;
    na_i64 v_batch_stride;
    na_i64 v_head_stride;
    na_i64 v_seq_stride;
    na_i64 o_batch_stride;
    na_i64 o_head_stride;
    na_i64 o_seq_stride;
    // Natural-log LSE, contiguous [batch][heads][seq_q]; null when not wanted. Fully masked rows get -inf.
    float* lse;
    // Optional uint8 tile classes (0 Empty, 1 Partial, 2 Full) of (query tile x key tile) for the forward kernel's
    // NA_FWD_BLOCK_M x NA_FWD_BLOCK_N tiles, at tile_map[b*batch_stride + h*head_stride + qTile*q_stride + kvTile];
    // a stride is 0 when the mask does not depend on that index. Null means all Partial, or all Full when the
    // spec has no mask mod.
    const unsigned char* tile_map;
    na_i64 tile_map_batch_stride;
    na_i64 tile_map_head_stride;
    na_i64 tile_map_q_stride;
    int batch;
    int heads;
    int kv_heads; // divides heads; query head h reads key/value head h / (heads / kv_heads)
    int seq_q;
    int seq_kv;
    float scale;
    float scale_log2;
    na_captures caps;
};

// Split-KV decode, first pass: each of the NA_DEC_WARPS warps of split s writes one partial (normalized O and
// natural-log LSE) for every query row, partial index s * NA_DEC_WARPS + warp. Layouts, contiguous:
// o_partial [batch][heads][seq_q][num_splits * NA_DEC_WARPS][NA_VALUE_DIM], lse_partial [batch][heads][seq_q][same].
// Split s covers keys [s * keys_per_split, (s + 1) * keys_per_split); keys_per_split is a multiple of
// NA_DEC_BLOCK_N. seq_q <= 16.
struct na_decode_params
{
    const void* q;
    const void* k;
    const void* v;
    na_i64 q_batch_stride;
    na_i64 q_head_stride;
    na_i64 q_seq_stride;
    na_i64 k_batch_stride;
    na_i64 k_head_stride;
    na_i64 k_seq_stride;
    na_i64 v_batch_stride;
    na_i64 v_head_stride;
    na_i64 v_seq_stride;
    float* o_partial;
    float* lse_partial;
    int batch;
    int heads;
    int kv_heads;
    int seq_q;
    int seq_kv;
    int num_splits;
    int keys_per_split;
    float scale;
    float scale_log2;
    na_captures caps;
};

// Split-KV decode, second pass: merges num_partials partials per row by their LSE into o (NA_DTYPE) and lse.
struct na_combine_params
{
    const float* o_partial;
    const float* lse_partial;
    void* o;
    na_i64 o_batch_stride;
    na_i64 o_head_stride;
    na_i64 o_seq_stride;
    float* lse; // natural-log, contiguous [batch][heads][seq_q]; null when not wanted
    int batch;
    int heads;
    int seq_q;
    int num_partials;
};

// Run-time tile classification: evaluates na_mask_mod on every pair of every (query tile x key tile) and writes the
// tile map the forward kernel reads. Map dimensions map_batch and map_heads are 1 when the mask does not depend
// on that index (it is then evaluated at index 0).
struct na_classify_params
{
    unsigned char* tile_map;
    na_i64 tile_map_batch_stride;
    na_i64 tile_map_head_stride;
    na_i64 tile_map_q_stride;
    int map_batch;
    int map_heads;
    int seq_q;
    int seq_kv;
    int tile_q;
    int tile_kv;
    na_captures caps;
};
