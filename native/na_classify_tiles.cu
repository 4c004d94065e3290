// NativeAttention run-time tile classification: the last piece of a compile unit after na_common.cuh, the spec's
// CudaSource and na_params.cuh. For masks whose tiles the generator cannot classify statically, this evaluates
// na_mask_mod on every in-range pair of each (query tile x key tile) and writes 0 Empty, 1 Partial or 2 Full, exact.
// Grid: (ceil(seq_kv / tile_kv), ceil(seq_q / tile_q), map_batch * map_heads); block: NA_CLASSIFY_THREADS.

#define NA_CLASSIFY_THREADS 256

extern "C" __constant__ int na_classify_config[1] = {NA_CLASSIFY_THREADS};

extern "C" __global__ void __launch_bounds__(NA_CLASSIFY_THREADS) na_classify_tiles(const na_classify_params p)
{
    const int kv_tile = blockIdx.x;
    const int q_tile = blockIdx.y;
    const int batch = blockIdx.z / p.map_heads;
    const int head = blockIdx.z % p.map_heads;
    const int q0 = q_tile * p.tile_q;
    const int kv0 = kv_tile * p.tile_kv;
    const int rows = min(p.tile_q, p.seq_q - q0);
    const int cols = min(p.tile_kv, p.seq_kv - kv0);
    const int pos_offset = p.seq_kv - p.seq_q;

    bool any = false;
    bool all = true;
#if NA_HAS_MASK_MOD
    const na_captures caps = p.caps;
    for (int idx = threadIdx.x; idx < rows * cols; idx += NA_CLASSIFY_THREADS)
    {
        const int q = q0 + idx / cols + pos_offset;
        const int kv = kv0 + idx % cols;
        const bool keep = na_mask_mod(batch, head, q, kv, caps);
        any |= keep;
        all &= keep;
    }
#else
    any = true;
#endif
    any = __syncthreads_or(any);
    all = __syncthreads_and(all);
    if (threadIdx.x == 0)
        p.tile_map[batch * p.tile_map_batch_stride + head * p.tile_map_head_stride + q_tile * p.tile_map_q_stride +
                   kv_tile] = any ? (all ? 2 : 1) : 0;
}
