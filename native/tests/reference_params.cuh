// Parameters of the test-only naive reference kernels (reference.cu). Follows na_params.cuh in a reference unit,
// and is included by the host harness inside a per-spec namespace so both sides share one layout.
struct na_reference_params
{
    const void* q; // NA_DTYPE, strided like na_forward_params
    const void* k;
    const void* v;
    float* o; // contiguous [batch][heads][seq_q][value_dim]
    float* lse; // contiguous [batch][heads][seq_q], natural log
    na_i64 q_batch_stride;
    na_i64 q_head_stride;
    na_i64 q_seq_stride;
    na_i64 k_batch_stride;
    na_i64 k_head_stride;
    na_i64 k_seq_stride;
    na_i64 v_batch_stride;
    na_i64 v_head_stride;
    na_i64 v_seq_stride;
    int batch;
    int heads;
    int kv_heads;
    int seq_q;
    int seq_kv;
    int head_dim;
    int value_dim;
    float scale;
    na_captures caps;
};
