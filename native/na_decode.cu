// NativeAttention split-KV decode: the last piece of a decode compile unit, after na_common.cuh, the spec's
// CudaSource and na_params.cuh. Needs -DNA_HEAD_DIM and -DNA_VALUE_DIM (64, 128 or 256).
// For seq_q <= 16 the query heads that share a key/value head are packed into the 16 rows of one mma tile
// (row = group member * seq_q + query index; more than 16 such rows take several row blocks), so each key/value
// byte is read once per KV head rather than once per query head. Thread block = one (split, KV head, row block,
// batch); its warps stream disjoint key tiles through private cp.async rings and each writes a partial (normalized O
// and LSE). na_decode_combine merges the partials by their LSE.

#if !defined(NA_HEAD_DIM) || !defined(NA_VALUE_DIM)
#error "NA_HEAD_DIM and NA_VALUE_DIM must be defined"
#endif
#if (NA_HEAD_DIM != 64 && NA_HEAD_DIM != 128 && NA_HEAD_DIM != 256) || \
    (NA_VALUE_DIM != 64 && NA_VALUE_DIM != 128 && NA_VALUE_DIM != 256)
#error "NA_HEAD_DIM and NA_VALUE_DIM must be 64, 128 or 256 (the host pads other sizes)"
#endif

#define NA_DEC_MAX_DIM (NA_HEAD_DIM > NA_VALUE_DIM ? NA_HEAD_DIM : NA_VALUE_DIM)
#define NA_DEC_ROWS 16
#define NA_DEC_WARPS 4
#define NA_DEC_THREADS (NA_DEC_WARPS * 32)
// At most 16 KB of keys and values per stage and warp at every head dim.
#define NA_DEC_BLOCK_N (4096 / NA_DEC_MAX_DIM)
#define NA_DEC_STAGES 3
#define NA_DEC_Q_IN_REGS (NA_HEAD_DIM <= 128)
#define NA_DEC_SMEM_BYTES \
    (2 * (NA_DEC_ROWS * NA_HEAD_DIM + NA_DEC_WARPS * NA_DEC_STAGES * NA_DEC_BLOCK_N * (NA_HEAD_DIM + NA_VALUE_DIM)))
#define NA_COMBINE_WARPS 4

// Packed rows per tile, key-tile rows (keys_per_split must be a multiple), threads, dynamic shared bytes, partials
// per split. Grid: (num_splits, kv_heads * ceil(heads / kv_heads * seq_q / 16), batch).
extern "C" __constant__ int na_decode_config[5] = {NA_DEC_ROWS, NA_DEC_BLOCK_N, NA_DEC_THREADS, NA_DEC_SMEM_BYTES,
                                                   NA_DEC_WARPS};
// Warps (one output row each) per combine block. Grid: ceil(batch * heads * seq_q / NA_COMBINE_WARPS).
extern "C" __constant__ int na_combine_config[1] = {NA_COMBINE_WARPS};

extern "C" __global__ void __launch_bounds__(NA_DEC_THREADS, 1) na_decode_split(const na_decode_params p)
{
    constexpr int D = NA_HEAD_DIM;
    constexpr int DV = NA_VALUE_DIM;
    constexpr int BN = NA_DEC_BLOCK_N;
    constexpr int STAGES = NA_DEC_STAGES;
    constexpr int WARPS = NA_DEC_WARPS;

    extern __shared__ __align__(128) unsigned char na_smem[];

    const int tid = threadIdx.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int group = lane >> 2;
    const int quad = lane & 3;

    const int split = blockIdx.x;
    const int group_size = p.heads / p.kv_heads;
    const int packed_rows = group_size * p.seq_q;
    const int row_blocks = (packed_rows + NA_DEC_ROWS - 1) / NA_DEC_ROWS;
    const int kv_head = blockIdx.y / row_blocks;
    const int row_block = blockIdx.y % row_blocks;
    const int batch = blockIdx.z;
    const int pos_offset = p.seq_kv - p.seq_q;
    const na_captures caps = p.caps;

    const na_u32 sQ = na_smem_addr(na_smem);
    const na_u32 sKV = sQ + NA_DEC_ROWS * D * 2;
    const na_u32 stage_bytes = BN * (D + DV) * 2;
    const na_u32 sK_warp = sKV + warp * STAGES * stage_bytes;

    // Packed query tile: plain loads, once per block.
    {
        const na_u16* q_base = (const na_u16*)p.q + batch * p.q_batch_stride;
        for (int idx = tid; idx < NA_DEC_ROWS * (D / 8); idx += NA_DEC_THREADS)
        {
            const int row = idx / (D / 8);
            const int chunk = idx % (D / 8);
            const int packed = row_block * NA_DEC_ROWS + row;
            na_u32 w0 = 0, w1 = 0, w2 = 0, w3 = 0;
            if (packed < packed_rows)
            {
                const int h = kv_head * group_size + packed / p.seq_q;
                const int qi = packed % p.seq_q;
                const na_u32* g =
                    (const na_u32*)(q_base + h * p.q_head_stride + (na_i64)qi * p.q_seq_stride + chunk * 8);
                w0 = g[0];
                w1 = g[1];
                w2 = g[2];
                w3 = g[3];
            }
            asm volatile("st.shared.v4.u32 [%0], {%1,%2,%3,%4};" ::"r"(sQ + na_swizzle(row, chunk, D) * 2), "r"(w0),
                         "r"(w1), "r"(w2), "r"(w3)
                         : "memory");
        }
    }

    const int key_begin = split * p.keys_per_split;
    const int key_end = min(p.seq_kv, key_begin + p.keys_per_split);
    const int num_tiles = key_end > key_begin ? (key_end - key_begin + BN - 1) / BN : 0;
    const int my_tiles = num_tiles > warp ? (num_tiles - warp + WARPS - 1) / WARPS : 0;

    const na_u16* k_base = (const na_u16*)p.k + batch * p.k_batch_stride + kv_head * p.k_head_stride;
    const na_u16* v_base = (const na_u16*)p.v + batch * p.v_batch_stride + kv_head * p.v_head_stride;
    // The warp's i-th tile starts at key key_begin + (warp + i * WARPS) * BN.
    auto load = [&](int i, int stage) {
        const int row0 = key_begin + (warp + i * WARPS) * BN;
        const na_u32 dst = sK_warp + stage * stage_bytes;
        na_load_tile<BN, D, 32>(dst, k_base, p.k_seq_stride, row0, key_end, lane);
        na_load_tile<BN, DV, 32>(dst + BN * D * 2, v_base, p.v_seq_stride, row0, key_end, lane);
    };
#pragma unroll
    for (int s = 0; s < STAGES - 1; ++s)
    {
        if (s < my_tiles)
            load(s, s);
        na_cp_async_commit();
    }

    const int swz = lane & 7;
    na_u32 q_cols[4], k_cols[4], v_cols[4];
    na_frag_cols(q_cols, lane >> 4, swz);
    na_frag_cols(k_cols, (lane >> 3) & 1, swz);
    na_frag_cols(v_cols, lane >> 4, swz);
    const na_u32 q_row_bytes = (lane & 15) * D * 2;
    const na_u32 k_row_bytes = ((lane & 7) + ((lane >> 4) << 3)) * D * 2;
    const na_u32 v_row_bytes = ((lane & 7) + (((lane >> 3) & 1) << 3)) * DV * 2;

    __syncthreads(); // the query tile is in shared memory
#if NA_DEC_Q_IN_REGS
    na_u32 qf[D / 16][4];
#pragma unroll
    for (int kk = 0; kk < D / 16; ++kk)
        na_ldmatrix_x4(qf[kk], sQ + q_row_bytes + q_cols[kk & 3] + (kk >> 2) * 128);
#endif

    // This lane's two accumulator rows.
    bool row_valid[2];
    int row_head[2];
    int row_q[2];
#pragma unroll
    for (int r = 0; r < 2; ++r)
    {
        const int packed = row_block * NA_DEC_ROWS + group + 8 * r;
        row_valid[r] = packed < packed_rows;
        row_head[r] = kv_head * group_size + (row_valid[r] ? packed / p.seq_q : 0);
        row_q[r] = row_valid[r] ? packed % p.seq_q : 0;
    }

#if NA_HAS_SCORE_MOD
    const float score_to_log2 = 1.0f;
#else
    const float score_to_log2 = p.scale_log2;
#endif

    float o[DV / 8][4];
#pragma unroll
    for (int n = 0; n < DV / 8; ++n)
        o[n][0] = o[n][1] = o[n][2] = o[n][3] = 0.0f;
    float row_max[2] = {na_neg_inf(), na_neg_inf()};
    float row_sum[2] = {0.0f, 0.0f};

    for (int i = 0; i < my_tiles; ++i)
    {
        na_cp_async_wait<STAGES - 2>();
        __syncwarp(); // every lane's copies of tile i are visible, and every lane is done with tile i - 1
        if (i + STAGES - 1 < my_tiles)
            load(i + STAGES - 1, (i + STAGES - 1) % STAGES);
        na_cp_async_commit();

        const na_u32 k_stage = sK_warp + (i % STAGES) * stage_bytes;
        const na_u32 v_stage = k_stage + BN * D * 2;
        float s[BN / 8][4];
#pragma unroll
        for (int n = 0; n < BN / 8; ++n)
            s[n][0] = s[n][1] = s[n][2] = s[n][3] = 0.0f;
#pragma unroll
        for (int kk = 0; kk < D / 16; ++kk)
        {
#if NA_DEC_Q_IN_REGS
            const na_u32(&a)[4] = qf[kk];
#else
            na_u32 a[4];
            na_ldmatrix_x4(a, sQ + q_row_bytes + q_cols[kk & 3] + (kk >> 2) * 128);
#endif
#pragma unroll
            for (int np = 0; np < BN / 16; ++np)
            {
                na_u32 b[4];
                na_ldmatrix_x4(b, k_stage + k_row_bytes + k_cols[kk & 3] + (kk >> 2) * 128 + np * 16 * D * 2);
                na_mma16816(s[2 * np], a, b[0], b[1]);
                na_mma16816(s[2 * np + 1], a, b[2], b[3]);
            }
        }

        // Mods only ever see in-range positions: padded rows carry a valid head and query, keys are clamped, and
        // out-of-range pairs are dropped afterwards. The score mod sees only kept pairs, as on the CPU, so a checked span
        // read never reports a fault for a pair the CPU path would not score.
        const int kv0 = key_begin + (warp + i * WARPS) * BN;
#pragma unroll
        for (int n = 0; n < BN / 8; ++n)
#pragma unroll
            for (int e = 0; e < 4; ++e)
            {
                const int r = e >> 1;
                const int kv = kv0 + n * 8 + quad * 2 + (e & 1);
                const int kv_safe = min(kv, p.seq_kv - 1);
                bool keep = row_valid[r] && kv < key_end;
#if NA_HAS_MASK_MOD
                keep = keep && na_mask_mod(batch, row_head[r], row_q[r] + pos_offset, kv_safe, caps);
#endif
                float x = s[n][e];
#if NA_HAS_SCORE_MOD
                if (keep)
                    x = na_score_mod(x * p.scale, batch, row_head[r], row_q[r] + pos_offset, kv_safe, caps) * NA_LOG2E;
#endif
                s[n][e] = keep ? x : na_neg_inf();
            }

#pragma unroll
        for (int r = 0; r < 2; ++r)
        {
            float mx = row_max[r];
#pragma unroll
            for (int n = 0; n < BN / 8; ++n)
                mx = fmaxf(mx, fmaxf(s[n][2 * r], s[n][2 * r + 1]));
            mx = na_quad_max(mx);
            const float m_log2 = mx == na_neg_inf() ? 0.0f : mx * score_to_log2;
            const float correction = na_exp2(row_max[r] * score_to_log2 - m_log2);
            row_max[r] = mx;
            float sum = 0.0f;
#pragma unroll
            for (int n = 0; n < BN / 8; ++n)
            {
                s[n][2 * r] = na_exp2(fmaf(s[n][2 * r], score_to_log2, -m_log2));
                s[n][2 * r + 1] = na_exp2(fmaf(s[n][2 * r + 1], score_to_log2, -m_log2));
                sum += s[n][2 * r] + s[n][2 * r + 1];
            }
            row_sum[r] = row_sum[r] * correction + sum;
#pragma unroll
            for (int n = 0; n < DV / 8; ++n)
            {
                o[n][2 * r] *= correction;
                o[n][2 * r + 1] *= correction;
            }
        }

#pragma unroll
        for (int kk = 0; kk < BN / 16; ++kk)
        {
            na_u32 a[4];
            a[0] = na_pack2(s[2 * kk][0], s[2 * kk][1]);
            a[1] = na_pack2(s[2 * kk][2], s[2 * kk][3]);
            a[2] = na_pack2(s[2 * kk + 1][0], s[2 * kk + 1][1]);
            a[3] = na_pack2(s[2 * kk + 1][2], s[2 * kk + 1][3]);
#pragma unroll
            for (int dp = 0; dp < DV / 16; ++dp)
            {
                na_u32 b[4];
                na_ldmatrix_x4_trans(
                    b, v_stage + v_row_bytes + v_cols[dp & 3] + (dp >> 2) * 128 + kk * 16 * DV * 2);
                na_mma16816(o[2 * dp], a, b[0], b[1]);
                na_mma16816(o[2 * dp + 1], a, b[2], b[3]);
            }
        }
    }
    na_cp_async_wait<0>();

    // Partial of (split, warp): normalized O and natural-log LSE; -inf and zeros when the warp kept nothing.
    const int num_partials = p.num_splits * WARPS;
    const int part = split * WARPS + warp;
#pragma unroll
    for (int r = 0; r < 2; ++r)
    {
        const float l = na_quad_sum(row_sum[r]);
        if (!row_valid[r])
            continue;
        const na_i64 row = ((na_i64)batch * p.heads + row_head[r]) * p.seq_q + row_q[r];
        const na_i64 slot = row * num_partials + part;
        const float inv = l > 0.0f ? 1.0f / l : 0.0f;
        float* orow = p.o_partial + slot * DV;
#pragma unroll
        for (int n = 0; n < DV / 8; ++n)
            *(float2*)(orow + n * 8 + quad * 2) = make_float2(o[n][2 * r] * inv, o[n][2 * r + 1] * inv);
        if (quad == 0)
            p.lse_partial[slot] = l > 0.0f ? (row_max[r] * score_to_log2 + na_log2(l)) * NA_LN2 : na_neg_inf();
    }
}

// Merges the partials of one output row per warp: weights exp(lse_i - max), O = sum(w_i O_i) / sum(w_i),
// LSE = max + log(sum(w_i)). Rows with no kept key anywhere get O = 0 and LSE = -inf.
extern "C" __global__ void __launch_bounds__(NA_COMBINE_WARPS * 32) na_decode_combine(const na_combine_params p)
{
    constexpr int DV = NA_VALUE_DIM;
    constexpr int PER_LANE = DV / 32;
    const int lane = threadIdx.x & 31;
    const na_i64 row = (na_i64)blockIdx.x * NA_COMBINE_WARPS + (threadIdx.x >> 5);
    const na_i64 rows = (na_i64)p.batch * p.heads * p.seq_q;
    if (row >= rows)
        return;
    const int qi = (int)(row % p.seq_q);
    const int head = (int)((row / p.seq_q) % p.heads);
    const int batch = (int)(row / ((na_i64)p.seq_q * p.heads));

    const float* lse = p.lse_partial + row * p.num_partials;
    float mx = na_neg_inf();
    for (int i = lane; i < p.num_partials; i += 32)
        mx = fmaxf(mx, lse[i]);
#pragma unroll
    for (int off = 16; off > 0; off >>= 1)
        mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, off));

    float acc[PER_LANE];
#pragma unroll
    for (int j = 0; j < PER_LANE; ++j)
        acc[j] = 0.0f;
    float total = 0.0f;
    if (mx != na_neg_inf())
    {
        const float* op = p.o_partial + row * p.num_partials * DV + lane * PER_LANE;
        for (int i = 0; i < p.num_partials; ++i)
        {
            const float w = na_exp2((lse[i] - mx) * NA_LOG2E);
            total += w;
#pragma unroll
            for (int j = 0; j < PER_LANE; ++j)
                acc[j] = fmaf(w, op[(na_i64)i * DV + j], acc[j]);
        }
    }
    const float inv = total > 0.0f ? 1.0f / total : 0.0f;
    na_u16* orow = (na_u16*)p.o + batch * p.o_batch_stride + head * p.o_head_stride + qi * p.o_seq_stride +
                   lane * PER_LANE;
#pragma unroll
    for (int j = 0; j < PER_LANE; j += 2)
        *(na_u32*)(orow + j) = na_pack2(acc[j] * inv, acc[j + 1] * inv);
    if (p.lse != nullptr && lane == 0)
        p.lse[row] = total > 0.0f ? mx + na_log2(total) * NA_LN2 : na_neg_inf();
}
