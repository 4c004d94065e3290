// NativeAttention flash forward (FlashAttention-2 style on mma.sync m16n8k16): the last piece of a forward compile
// unit, after na_common.cuh, the spec's CudaSource and na_params.cuh. Needs -DNA_HEAD_DIM and -DNA_VALUE_DIM
// (64, 128 or 256). One thread block owns NA_FWD_BLOCK_M query rows of one (batch, head); each warp owns
// NA_FWD_WARP_TILES consecutive 16-row mma tiles of them. Key/value tiles of NA_FWD_BLOCK_N rows stream through an
// NA_FWD_STAGES-deep cp.async ring in swizzled shared memory; scores, the online softmax (exp2, log2(e) folded into
// the scale) and the output accumulators stay in registers.

#if !defined(NA_HEAD_DIM) || !defined(NA_VALUE_DIM)
#error "NA_HEAD_DIM and NA_VALUE_DIM must be defined"
#endif
#if (NA_HEAD_DIM != 64 && NA_HEAD_DIM != 128 && NA_HEAD_DIM != 256) || \
    (NA_VALUE_DIM != 64 && NA_VALUE_DIM != 128 && NA_VALUE_DIM != 256)
#error "NA_HEAD_DIM and NA_VALUE_DIM must be 64, 128 or 256 (the host pads other sizes)"
#endif

#define NA_FWD_MAX_DIM (NA_HEAD_DIM > NA_VALUE_DIM ? NA_HEAD_DIM : NA_VALUE_DIM)
// Tile configuration per head dim. Each macro may be overridden with -D for tuning: the host reads the result back
// from na_forward_config and never hard-codes tiles.
// Measured on an H200 (bf16, head dim 128): two 16-row tiles per warp over 32-key tiles beat one tile over 64 keys
// by 10% dense and 6% causal. Head dim 256 needs the registers of one tile and 8 warps. A spec whose score or mask
// code is too heavy for two tiles spills; the host sees that in the loaded kernel's local memory and recompiles the
// unit with -DNA_FWD_WARP_TILES=1.
#ifndef NA_FWD_WARPS
#define NA_FWD_WARPS (NA_FWD_MAX_DIM <= 128 ? 4 : 8)
#endif
// 16-row mma tiles per warp: two share every K and V fragment read from shared memory.
#ifndef NA_FWD_WARP_TILES
#define NA_FWD_WARP_TILES (NA_FWD_MAX_DIM <= 128 ? 2 : 1)
#endif
#ifndef NA_FWD_BLOCK_N
#define NA_FWD_BLOCK_N (NA_FWD_WARP_TILES == 2 ? 32 : 64)
#endif
#ifndef NA_FWD_STAGES
#define NA_FWD_STAGES 2
#endif
// Query fragments stay in registers while the accumulators leave room; otherwise they are re-read from shared memory.
#ifndef NA_FWD_Q_IN_REGS
#define NA_FWD_Q_IN_REGS (NA_FWD_MAX_DIM * NA_FWD_WARP_TILES <= 128)
#endif
#ifndef NA_FWD_MIN_BLOCKS
#define NA_FWD_MIN_BLOCKS (NA_FWD_MAX_DIM <= 64 && NA_FWD_WARP_TILES == 1 ? 3 : NA_FWD_MAX_DIM <= 128 ? 2 : 1)
#endif
#define NA_FWD_BLOCK_M (NA_FWD_WARPS * NA_FWD_WARP_TILES * 16)
#define NA_FWD_THREADS (NA_FWD_WARPS * 32)
#define NA_FWD_SMEM_BYTES \
    (2 * (NA_FWD_BLOCK_M * NA_HEAD_DIM + NA_FWD_STAGES * NA_FWD_BLOCK_N * (NA_HEAD_DIM + NA_VALUE_DIM)))

// What the host needs to launch and to build tile maps: block rows, key-tile rows, threads, dynamic shared bytes.
// Grid: (ceil(seq_q / block_m), heads, batch).
extern "C" __constant__ int na_forward_config[4] = {NA_FWD_BLOCK_M, NA_FWD_BLOCK_N, NA_FWD_THREADS, NA_FWD_SMEM_BYTES};

extern "C" __global__ void __launch_bounds__(NA_FWD_THREADS, NA_FWD_MIN_BLOCKS)
    na_flash_forward(const na_forward_params p)
{
    constexpr int BM = NA_FWD_BLOCK_M;
    constexpr int BN = NA_FWD_BLOCK_N;
    constexpr int D = NA_HEAD_DIM;
    constexpr int DV = NA_VALUE_DIM;
    constexpr int MT = NA_FWD_WARP_TILES;
    constexpr int STAGES = NA_FWD_STAGES;
    constexpr int THREADS = NA_FWD_THREADS;

    extern __shared__ __align__(128) unsigned char na_smem[];

    const int tid = threadIdx.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int group = lane >> 2; // accumulator row within a 16-row tile (and +8)
    const int quad = lane & 3;   // accumulator column pair within an 8-wide block

    const int num_q_tiles = (p.seq_q + BM - 1) / BM;
    // Heaviest tiles first: under causal-style masks the last query tiles see the most keys.
    const int q_tile = num_q_tiles - 1 - (int)blockIdx.x;
    const int head = blockIdx.y;
    const int batch = blockIdx.z;
    const int kv_head = head / (p.heads / p.kv_heads);
    const int q_row0 = q_tile * BM;
    const int pos_offset = p.seq_kv - p.seq_q;
    const na_captures caps = p.caps;

    const na_u16* q_base = (const na_u16*)p.q + batch * p.q_batch_stride + head * p.q_head_stride;
    const na_u16* k_base = (const na_u16*)p.k + batch * p.k_batch_stride + kv_head * p.k_head_stride;
    const na_u16* v_base = (const na_u16*)p.v + batch * p.v_batch_stride + kv_head * p.v_head_stride;

    const na_u32 sQ = na_smem_addr(na_smem);
    const na_u32 sK = sQ + BM * D * 2;
    const na_u32 sV = sK + STAGES * BN * D * 2;

    const int num_kv_tiles = (p.seq_kv + BN - 1) / BN;
    const unsigned char* map_row = p.tile_map == nullptr
                                       ? nullptr
                                       : p.tile_map + batch * p.tile_map_batch_stride +
                                             head * p.tile_map_head_stride + q_tile * p.tile_map_q_stride;
    const int default_class = NA_HAS_MASK_MOD ? 1 : 2;
    auto tile_class = [&](int t) -> int { return map_row == nullptr ? default_class : (int)map_row[t]; };
    // The block reads its map row once, in parallel, for the first and last non-empty tile: a serial scan past the
    // empty tiles before a sliding window or after a causal diagonal costs a dependent load per tile (measured on the
    // H200 at S=4096: sliding window 205 -> 228 TFLOP/s, causal 256 -> 269).
    __shared__ int kv_range[2];
    int kv_end = num_kv_tiles;
    if (map_row != nullptr)
    {
        if (tid == 0)
        {
            kv_range[0] = num_kv_tiles;
            kv_range[1] = -1;
        }
        __syncthreads();
        for (int t = tid; t < num_kv_tiles; t += THREADS)
            if (map_row[t] != 0)
            {
                atomicMin(&kv_range[0], t);
                atomicMax(&kv_range[1], t);
            }
        __syncthreads();
        kv_end = kv_range[1] + 1;
    }
    auto next_tile = [&](int t) -> int {
        ++t;
        while (t < kv_end && tile_class(t) == 0)
            ++t;
        return t;
    };
    // K and V of one key tile form one cp.async group; the ring always commits, empty groups included, so that the
    // count of groups in flight stays a compile-time constant.
    auto load_kv = [&](int t, int stage) {
        if (t < kv_end)
        {
            na_load_tile<BN, D, THREADS>(sK + stage * BN * D * 2, k_base, p.k_seq_stride, t * BN, p.seq_kv, tid);
            na_load_tile<BN, DV, THREADS>(sV + stage * BN * DV * 2, v_base, p.v_seq_stride, t * BN, p.seq_kv, tid);
        }
        na_cp_async_commit();
    };

    na_load_tile<BM, D, THREADS>(sQ, q_base, p.q_seq_stride, q_row0, p.seq_q, tid);
    na_cp_async_commit();
    int fetch = next_tile(-1);
    const int first = fetch;
#pragma unroll
    for (int s = 0; s < STAGES - 1; ++s)
    {
        load_kv(fetch, s);
        if (fetch < kv_end)
            fetch = next_tile(fetch);
    }

    // Every ldmatrix address of this lane has row & 7 == lane & 7, the swizzle key.
    const int swz = lane & 7;
    na_u32 q_cols[4], k_cols[4], v_cols[4];
    na_frag_cols(q_cols, lane >> 4, swz);
    na_frag_cols(k_cols, (lane >> 3) & 1, swz);
    na_frag_cols(v_cols, lane >> 4, swz);
    const na_u32 q_row_bytes = (warp * MT * 16 + (lane & 15)) * D * 2;
    const na_u32 k_row_bytes = ((lane & 7) + ((lane >> 4) << 3)) * D * 2;
    const na_u32 v_row_bytes = ((lane & 7) + (((lane >> 3) & 1) << 3)) * DV * 2;

#if NA_FWD_Q_IN_REGS
    na_u32 qf[MT][D / 16][4];
    na_cp_async_wait<STAGES - 1>();
    __syncthreads();
#pragma unroll
    for (int mt = 0; mt < MT; ++mt)
#pragma unroll
        for (int kk = 0; kk < D / 16; ++kk)
            na_ldmatrix_x4(qf[mt][kk], sQ + q_row_bytes + mt * 16 * D * 2 + q_cols[kk & 3] + (kk >> 2) * 128);
#endif

    float o[MT][DV / 8][4];
    float row_max[MT][2]; // in score units (raw q·k without a score mod)
    float row_sum[MT][2]; // this lane's share; reduced over the quad at the end
#pragma unroll
    for (int mt = 0; mt < MT; ++mt)
    {
#pragma unroll
        for (int n = 0; n < DV / 8; ++n)
            o[mt][n][0] = o[mt][n][1] = o[mt][n][2] = o[mt][n][3] = 0.0f;
#pragma unroll
        for (int r = 0; r < 2; ++r)
        {
            row_max[mt][r] = na_neg_inf();
            row_sum[mt][r] = 0.0f;
        }
    }

    // Without a score mod the raw q·k is kept and scale·log2(e) is applied inside the exponent; with one, scores
    // are already log2-domain after the mod.
#if NA_HAS_SCORE_MOD
    const float score_to_log2 = 1.0f;
#else
    const float score_to_log2 = p.scale_log2;
#endif
    const bool q_tile_partial = q_row0 + BM > p.seq_q;
    // Query row of accumulator row r of tile mt: q_lane_row + 16 * mt + 8 * r.
    const int q_lane_row = q_row0 + warp * MT * 16 + group;

    int it = 0;
    for (int cur = first; cur < kv_end; cur = next_tile(cur), ++it)
    {
        const int stage = it % STAGES;
        na_cp_async_wait<STAGES - 2>(); // K and V of this tile have landed
        // One barrier per tile: this tile is visible to every warp, and every warp is past the previous tile, so
        // its stage can be refilled.
        __syncthreads();
        load_kv(fetch, (it + STAGES - 1) % STAGES);
        if (fetch < kv_end)
            fetch = next_tile(fetch);

        // S = Q K^T for the warp's rows x BN keys.
        float s[MT][BN / 8][4];
#pragma unroll
        for (int mt = 0; mt < MT; ++mt)
#pragma unroll
            for (int n = 0; n < BN / 8; ++n)
                s[mt][n][0] = s[mt][n][1] = s[mt][n][2] = s[mt][n][3] = 0.0f;
        const na_u32 k_stage = sK + stage * BN * D * 2;
#pragma unroll
        for (int kk = 0; kk < D / 16; ++kk)
        {
#if NA_FWD_Q_IN_REGS
            const na_u32(&a)[MT][D / 16][4] = qf;
#define NA_FWD_A(mt) a[mt][kk]
#else
            na_u32 a[MT][4];
#pragma unroll
            for (int mt = 0; mt < MT; ++mt)
                na_ldmatrix_x4(a[mt], sQ + q_row_bytes + mt * 16 * D * 2 + q_cols[kk & 3] + (kk >> 2) * 128);
#define NA_FWD_A(mt) a[mt]
#endif
#pragma unroll
            for (int np = 0; np < BN / 16; ++np)
            {
                na_u32 b[4];
                na_ldmatrix_x4(b, k_stage + k_row_bytes + k_cols[kk & 3] + (kk >> 2) * 128 + np * 16 * D * 2);
#pragma unroll
                for (int mt = 0; mt < MT; ++mt)
                {
                    na_mma16816(s[mt][2 * np], NA_FWD_A(mt), b[0], b[1]);
                    na_mma16816(s[mt][2 * np + 1], NA_FWD_A(mt), b[2], b[3]);
                }
            }
#undef NA_FWD_A
        }

        // Masks and score mod. Positions past either sequence never reach the mods (captures may be indexed by them).
        const int cls = tile_class(cur);
        const int kv0 = cur * BN;
        const bool check_bounds = q_tile_partial || kv0 + BN > p.seq_kv;
        const bool check_mask = NA_HAS_MASK_MOD && cls == 1;
        if (check_bounds || check_mask)
        {
#pragma unroll
            for (int mt = 0; mt < MT; ++mt)
#pragma unroll
                for (int n = 0; n < BN / 8; ++n)
#pragma unroll
                    for (int e = 0; e < 4; ++e)
                    {
                        const int qi = q_lane_row + 16 * mt + 8 * (e >> 1);
                        const int kv = kv0 + n * 8 + quad * 2 + (e & 1);
                        bool keep = kv < p.seq_kv && qi < p.seq_q;
#if NA_HAS_MASK_MOD
                        if (check_mask && keep)
                            keep = na_mask_mod(batch, head, qi + pos_offset, kv, caps);
#endif
                        float x = s[mt][n][e];
#if NA_HAS_SCORE_MOD
                        if (keep)
                            x = na_score_mod(x * p.scale, batch, head, qi + pos_offset, kv, caps) * NA_LOG2E;
#endif
                        s[mt][n][e] = keep ? x : na_neg_inf();
                    }
        }
#if NA_HAS_SCORE_MOD
        else
        {
#pragma unroll
            for (int mt = 0; mt < MT; ++mt)
#pragma unroll
                for (int n = 0; n < BN / 8; ++n)
#pragma unroll
                    for (int e = 0; e < 4; ++e)
                    {
                        const int kv = kv0 + n * 8 + quad * 2 + (e & 1);
                        s[mt][n][e] = na_score_mod(s[mt][n][e] * p.scale, batch, head,
                                                   q_lane_row + 16 * mt + 8 * (e >> 1) + pos_offset, kv, caps) *
                                      NA_LOG2E;
                    }
        }
#endif

        // Online softmax. A row with nothing kept yet has max -inf; it exponentiates against 0 so every term,
        // and the correction of the empty past, is exactly 0 rather than NaN.
#pragma unroll
        for (int mt = 0; mt < MT; ++mt)
#pragma unroll
            for (int r = 0; r < 2; ++r)
            {
                float mx = row_max[mt][r];
#pragma unroll
                for (int n = 0; n < BN / 8; ++n)
                    mx = fmaxf(mx, fmaxf(s[mt][n][2 * r], s[mt][n][2 * r + 1]));
                mx = na_quad_max(mx);
                const float m_log2 = mx == na_neg_inf() ? 0.0f : mx * score_to_log2;
                const float correction = na_exp2(row_max[mt][r] * score_to_log2 - m_log2);
                row_max[mt][r] = mx;
                float sum = 0.0f;
#pragma unroll
                for (int n = 0; n < BN / 8; ++n)
                {
                    s[mt][n][2 * r] = na_exp2(fmaf(s[mt][n][2 * r], score_to_log2, -m_log2));
                    s[mt][n][2 * r + 1] = na_exp2(fmaf(s[mt][n][2 * r + 1], score_to_log2, -m_log2));
                    sum += s[mt][n][2 * r] + s[mt][n][2 * r + 1];
                }
                row_sum[mt][r] = row_sum[mt][r] * correction + sum;
#pragma unroll
                for (int n = 0; n < DV / 8; ++n)
                {
                    o[mt][n][2 * r] *= correction;
                    o[mt][n][2 * r + 1] *= correction;
                }
            }

        // O += P V: the score accumulators become A fragments in place (m16n8 C layout == m16k16 A layout halves).
        const na_u32 v_stage = sV + stage * BN * DV * 2;
#pragma unroll
        for (int kk = 0; kk < BN / 16; ++kk)
        {
            na_u32 a[MT][4];
#pragma unroll
            for (int mt = 0; mt < MT; ++mt)
            {
                a[mt][0] = na_pack2(s[mt][2 * kk][0], s[mt][2 * kk][1]);
                a[mt][1] = na_pack2(s[mt][2 * kk][2], s[mt][2 * kk][3]);
                a[mt][2] = na_pack2(s[mt][2 * kk + 1][0], s[mt][2 * kk + 1][1]);
                a[mt][3] = na_pack2(s[mt][2 * kk + 1][2], s[mt][2 * kk + 1][3]);
            }
#pragma unroll
            for (int dp = 0; dp < DV / 16; ++dp)
            {
                na_u32 b[4];
                na_ldmatrix_x4_trans(
                    b, v_stage + v_row_bytes + v_cols[dp & 3] + (dp >> 2) * 128 + kk * 16 * DV * 2);
#pragma unroll
                for (int mt = 0; mt < MT; ++mt)
                {
                    na_mma16816(o[mt][2 * dp], a[mt], b[0], b[1]);
                    na_mma16816(o[mt][2 * dp + 1], a[mt], b[2], b[3]);
                }
            }
        }
    }
    na_cp_async_wait<0>();

    // Epilogue: normalize, write O rows and the natural-log LSE. Fully masked rows give O = 0 and LSE = -inf.
    na_u16* o_base = (na_u16*)p.o + batch * p.o_batch_stride + head * p.o_head_stride;
#pragma unroll
    for (int mt = 0; mt < MT; ++mt)
#pragma unroll
        for (int r = 0; r < 2; ++r)
        {
            const float l = na_quad_sum(row_sum[mt][r]);
            const int qi = q_lane_row + 16 * mt + 8 * r;
            if (qi >= p.seq_q)
                continue;
            const float inv = l > 0.0f ? 1.0f / l : 0.0f;
            na_u16* orow = o_base + (na_i64)qi * p.o_seq_stride;
#pragma unroll
            for (int n = 0; n < DV / 8; ++n)
                *(na_u32*)(orow + n * 8 + quad * 2) = na_pack2(o[mt][n][2 * r] * inv, o[mt][n][2 * r + 1] * inv);
            if (p.lse != nullptr && quad == 0)
                p.lse[((na_i64)batch * p.heads + head) * p.seq_q + qi] =
                    l > 0.0f ? (row_max[mt][r] * score_to_log2 + na_log2(l)) * NA_LN2 : na_neg_inf();
        }
}
