// Native smoke test of the kernel templates: every (spec, dtype, head dim) unit of the forward and decode kernels
// against the naive reference kernel, on odd lengths, GQA/MQA, seq_q != seq_kv (both ways), strided layouts, with
// and without a tile map and with the LSE output on and off. Outputs are poisoned with NaN before every call; every
// CUDA call is checked. The reference itself is checked against an fp64 CPU computation first.
//   na_smoke_test <units dir> [spec [dtype [head dim]]]   (the filters keep sanitizer runs small)
#include "specs.cuh"

namespace
{

struct Problem
{
    int batch, heads, kv_heads, seq_q, seq_kv, dim, value_dim;
    bool sequence_major; // q and o stored [batch][seq][heads][dim]
};

struct Tolerance
{
    double rel_l2, max_abs, lse_abs;
};

Tolerance tolerance_for(const std::string& dtype)
{
    return dtype == "bf16" ? Tolerance{1.5e-2, 4e-2, 2e-3} : Tolerance{3e-3, 6e-3, 2e-3};
}

struct Errors
{
    double rel_l2 = 0, max_abs = 0, lse_abs = 0;
    long long nan = 0, lse_inf_mismatch = 0;

    void merge(const Errors& e)
    {
        rel_l2 = std::max(rel_l2, e.rel_l2);
        max_abs = std::max(max_abs, e.max_abs);
        lse_abs = std::max(lse_abs, e.lse_abs);
        nan += e.nan;
        lse_inf_mismatch += e.lse_inf_mismatch;
    }

    bool ok(const Tolerance& t) const
    {
        return nan == 0 && lse_inf_mismatch == 0 && rel_l2 <= t.rel_l2 && max_abs <= t.max_abs && lse_abs <= t.lse_abs;
    }
};

// The device tensors of one problem, filled with fresh random values.
struct Tensors
{
    NaLayout q_layout, k_layout, v_layout, o_layout;
    NaBuffer q, k, v, o, lse, ref_o, ref_lse, o_float;

    Tensors(const Problem& p, const NaModule& ref, unsigned seed)
        : q_layout(NaLayout::make(p.sequence_major, p.heads, p.seq_q, p.dim)),
          k_layout(NaLayout::make(false, p.kv_heads, p.seq_kv, p.dim)),
          v_layout(NaLayout::make(false, p.kv_heads, p.seq_kv, p.value_dim)),
          o_layout(NaLayout::make(p.sequence_major, p.heads, p.seq_q, p.value_dim)),
          q(2ull * p.batch * p.heads * p.seq_q * p.dim), k(2ull * p.batch * p.kv_heads * p.seq_kv * p.dim),
          v(2ull * p.batch * p.kv_heads * p.seq_kv * p.value_dim), o(2ull * p.batch * p.heads * p.seq_q * p.value_dim),
          lse(4ull * p.batch * p.heads * p.seq_q), ref_o(4ull * p.batch * p.heads * p.seq_q * p.value_dim),
          ref_lse(4ull * p.batch * p.heads * p.seq_q), o_float(4ull * p.batch * p.heads * p.seq_q * p.value_dim)
    {
        fill(ref, q, seed * 3 + 0, 2.0f);
        fill(ref, k, seed * 3 + 1, 2.0f);
        fill(ref, v, seed * 3 + 2, 1.0f);
    }

    static void fill(const NaModule& ref, const NaBuffer& b, unsigned seed, float amplitude)
    {
        CUdeviceptr ptr = b.ptr();
        long long n = (long long)(b.bytes() / 2);
        void* args[] = {&ptr, &n, &seed, &amplitude};
        NA_CHECK(cuLaunchKernel(ref.function("na_test_fill"), 256, 1, 1, 256, 1, 1, 0, nullptr, args, nullptr));
    }

    static std::vector<float> to_float(const NaModule& ref, const NaBuffer& src, const NaBuffer& dst)
    {
        CUdeviceptr s = src.ptr(), d = dst.ptr();
        long long n = (long long)(src.bytes() / 2);
        void* args[] = {&s, &d, &n};
        NA_CHECK(cuLaunchKernel(ref.function("na_test_to_float"), 256, 1, 1, 256, 1, 1, 0, nullptr, args, nullptr));
        NA_CHECK(cuCtxSynchronize());
        std::vector<float> all = dst.download<float>();
        all.resize(n);
        return all;
    }
};

template <class S, class P>
void set_qkv(P& params, const Tensors& t)
{
    params.q = t.q.as<const void>();
    params.k = t.k.as<const void>();
    params.v = t.v.as<const void>();
    params.q_batch_stride = t.q_layout.batch;
    params.q_head_stride = t.q_layout.head;
    params.q_seq_stride = t.q_layout.seq;
    params.k_batch_stride = t.k_layout.batch;
    params.k_head_stride = t.k_layout.head;
    params.k_seq_stride = t.k_layout.seq;
    params.v_batch_stride = t.v_layout.batch;
    params.v_head_stride = t.v_layout.head;
    params.v_seq_stride = t.v_layout.seq;
}

template <class S>
void run_reference(const NaModule& ref, const Problem& p, const Tensors& t, const typename S::Captures& caps)
{
    typename S::Reference r{};
    set_qkv<S>(r, t);
    r.o = t.ref_o.as<float>();
    r.lse = t.ref_lse.as<float>();
    r.batch = p.batch;
    r.heads = p.heads;
    r.kv_heads = p.kv_heads;
    r.seq_q = p.seq_q;
    r.seq_kv = p.seq_kv;
    r.head_dim = p.dim;
    r.value_dim = p.value_dim;
    r.scale = 1.0f / std::sqrt((float)p.dim);
    r.caps = caps;
    t.ref_o.poison32();
    t.ref_lse.poison32();
    na_launch(ref.function("na_reference_forward"), p.seq_q, p.heads, p.batch, 128, (p.seq_kv + 128) * 4, r);
    NA_CHECK(cuCtxSynchronize());
}

// Compares the kernel's output (in its layout) and LSE with the reference.
Errors compare(const NaModule& ref, const Problem& p, const Tensors& t, bool with_lse)
{
    const std::vector<float> o = Tensors::to_float(ref, t.o, t.o_float);
    const std::vector<float> ro = t.ref_o.download<float>();
    Errors e;
    double diff2 = 0, ref2 = 0;
    for (int b = 0; b < p.batch; ++b)
        for (int h = 0; h < p.heads; ++h)
            for (int i = 0; i < p.seq_q; ++i)
                for (int d = 0; d < p.value_dim; ++d)
                {
                    const float x = o[b * t.o_layout.batch + h * t.o_layout.head + i * t.o_layout.seq + d];
                    const float y = ro[(((long long)b * p.heads + h) * p.seq_q + i) * p.value_dim + d];
                    if (std::isnan(x) || std::isnan(y))
                    {
                        ++e.nan;
                        continue;
                    }
                    diff2 += (double)(x - y) * (x - y);
                    ref2 += (double)y * y;
                    e.max_abs = std::max(e.max_abs, (double)std::fabs(x - y));
                }
    e.rel_l2 = ref2 > 0 ? std::sqrt(diff2 / ref2) : std::sqrt(diff2);
    if (with_lse)
    {
        const std::vector<float> l = t.lse.download<float>();
        const std::vector<float> rl = t.ref_lse.download<float>();
        for (size_t i = 0; i < l.size(); ++i)
        {
            if (std::isnan(l[i]) || std::isnan(rl[i]))
                ++e.nan;
            else if (std::isinf(l[i]) || std::isinf(rl[i]))
                e.lse_inf_mismatch += !(l[i] == rl[i]);
            else
                e.lse_abs = std::max(e.lse_abs, (double)std::fabs(l[i] - rl[i]));
        }
    }
    return e;
}

std::string describe(const Problem& p)
{
    char text[160];
    std::snprintf(text, sizeof text, "B=%d H=%d KVH=%d Sq=%d Skv=%d D=%d DV=%d %s", p.batch, p.heads, p.kv_heads,
                  p.seq_q, p.seq_kv, p.dim, p.value_dim, p.sequence_major ? "BSHD" : "BHSD");
    return text;
}

void report_case(const std::string& what, const Problem& p, const Errors& e)
{
    std::printf("    FAIL %s %s: rel_l2 %.3g max_abs %.3g lse_abs %.3g nan %lld lse_inf_mismatch %lld\n",
                what.c_str(), describe(p).c_str(), e.rel_l2, e.max_abs, e.lse_abs, e.nan, e.lse_inf_mismatch);
}

struct Units
{
    std::string dir;
    std::string path(const char* kind, const char* spec, const std::string& dtype, int dim, int vdim) const
    {
        return dir + "/" + kind + "_" + spec + "_" + dtype + "_" + std::to_string(dim) + "_" + std::to_string(vdim) +
               ".fatbin";
    }
};

NaCaptureValues test_captures(unsigned seed)
{
    NaCaptureValues v;
    v.window = 77; // straddles 64-key tiles, so sliding windows have Empty, Partial and Full tiles
    v.cap = 2.0f;  // small enough that the soft-cap bends the scores drawn here
    v.seed = seed;
    return v;
}

template <class S>
bool test_forward(const Units& units, const NaModule& ref, const NaModule& classify, const std::string& dtype,
                  int dim, int vdim)
{
    NaModule unit(units.path("forward", S::name, dtype, dim, vdim));
    const std::vector<int> cfg = unit.config("na_forward_config", 4);
    const int block_m = cfg[0], block_n = cfg[1], threads = cfg[2], smem = cfg[3];
    const CUfunction forward = unit.function("na_flash_forward");
    const CUfunction classify_fn = classify.function("na_classify_tiles");
    const Problem problems[] = {
        {2, 4, 2, 1, 1, dim, vdim, false},      {2, 4, 2, 17, 17, dim, vdim, true},
        {2, 4, 2, 129, 129, dim, vdim, false},  {1, 4, 1, 1000, 1000, dim, vdim, true},
        {1, 4, 4, 17, 1000, dim, vdim, false},  {1, 6, 2, 300, 129, dim, vdim, true},
    };
    const Tolerance tol = tolerance_for(dtype);
    Errors worst;
    bool pass = true;
    unsigned seed = 11;
    for (const Problem& p : problems)
    {
        ++seed;
        Tensors t(p, ref, seed);
        NaCaptureStore store;
        const typename S::Captures caps = S::captures(store, p.heads, p.seq_kv, test_captures(seed));
        run_reference<S>(ref, p, t, caps);

        const int q_tiles = (p.seq_q + block_m - 1) / block_m;
        const int kv_tiles = (p.seq_kv + block_n - 1) / block_n;
        NaBuffer map((size_t)q_tiles * kv_tiles);
        typename S::Classify c{};
        c.tile_map = map.as<unsigned char>();
        c.tile_map_q_stride = kv_tiles;
        c.map_batch = 1;
        c.map_heads = 1;
        c.seq_q = p.seq_q;
        c.seq_kv = p.seq_kv;
        c.tile_q = block_m;
        c.tile_kv = block_n;
        c.caps = caps;
        NA_CHECK(cuMemsetD8(map.ptr(), 0xEE, map.bytes()));
        na_launch(classify_fn, kv_tiles, q_tiles, 1, 256, 0, c);
        NA_CHECK(cuCtxSynchronize());

        for (int with_map = 0; with_map < 2; ++with_map)
        {
            typename S::Forward f{};
            set_qkv<S>(f, t);
            f.o = t.o.as<void>();
            f.o_batch_stride = t.o_layout.batch;
            f.o_head_stride = t.o_layout.head;
            f.o_seq_stride = t.o_layout.seq;
            const bool with_lse = with_map == 0;
            f.lse = with_lse ? t.lse.as<float>() : nullptr;
            f.tile_map = with_map ? map.as<const unsigned char>() : nullptr;
            f.tile_map_q_stride = kv_tiles;
            f.batch = p.batch;
            f.heads = p.heads;
            f.kv_heads = p.kv_heads;
            f.seq_q = p.seq_q;
            f.seq_kv = p.seq_kv;
            f.scale = 1.0f / std::sqrt((float)p.dim);
            f.scale_log2 = f.scale * 1.4426950408889634f;
            f.caps = caps;
            t.o.poison16();
            t.lse.poison32();
            na_launch(forward, q_tiles, p.heads, p.batch, threads, smem, f);
            NA_CHECK(cuCtxSynchronize());
            const Errors e = compare(ref, p, t, with_lse);
            worst.merge(e);
            if (!e.ok(tol))
            {
                pass = false;
                report_case(with_map ? "forward(map)" : "forward", p, e);
            }
        }
    }
    std::printf("  %s forward %-14s %s D=%3d DV=%3d: rel_l2 %.2e max_abs %.2e lse_abs %.2e\n", pass ? "ok  " : "FAIL",
                S::name, dtype.c_str(), dim, vdim, worst.rel_l2, worst.max_abs, worst.lse_abs);
    return pass;
}

template <class S>
bool test_decode(const Units& units, const NaModule& ref, const std::string& dtype, int dim, int vdim)
{
    NaModule unit(units.path("decode", S::name, dtype, dim, vdim));
    const std::vector<int> cfg = unit.config("na_decode_config", 5);
    const int rows = cfg[0], block_n = cfg[1], threads = cfg[2], smem = cfg[3], warps = cfg[4];
    const int combine_warps = unit.config("na_combine_config", 1)[0];
    const CUfunction split_fn = unit.function("na_decode_split");
    const CUfunction combine_fn = unit.function("na_decode_combine");
    struct Case
    {
        Problem p;
        int splits;
    };
    const Case cases[] = {
        {{2, 8, 2, 1, 1, dim, vdim, false}, 1},    {{2, 8, 2, 1, 17, dim, vdim, true}, 2},
        {{2, 8, 2, 4, 1000, dim, vdim, false}, 3}, {{1, 8, 1, 3, 5000, dim, vdim, true}, 4},
        {{2, 4, 4, 16, 129, dim, vdim, false}, 2}, {{1, 4, 2, 2, 1, dim, vdim, true}, 1},
    };
    const Tolerance tol = tolerance_for(dtype);
    Errors worst;
    bool pass = true;
    unsigned seed = 101;
    for (const Case& cs : cases)
    {
        const Problem& p = cs.p;
        ++seed;
        Tensors t(p, ref, seed);
        NaCaptureStore store;
        const typename S::Captures caps = S::captures(store, p.heads, p.seq_kv, test_captures(seed));
        run_reference<S>(ref, p, t, caps);

        const int per_split = (p.seq_kv + cs.splits - 1) / cs.splits;
        const int keys_per_split = (per_split + block_n - 1) / block_n * block_n;
        const int splits = (p.seq_kv + keys_per_split - 1) / keys_per_split;
        const int partials = splits * warps;
        const size_t row_count = (size_t)p.batch * p.heads * p.seq_q;
        NaBuffer o_partial(4 * row_count * partials * p.value_dim);
        NaBuffer lse_partial(4 * row_count * partials);
        o_partial.poison32();
        lse_partial.poison32();
        t.o.poison16();
        t.lse.poison32();

        typename S::Decode d{};
        set_qkv<S>(d, t);
        d.o_partial = o_partial.as<float>();
        d.lse_partial = lse_partial.as<float>();
        d.batch = p.batch;
        d.heads = p.heads;
        d.kv_heads = p.kv_heads;
        d.seq_q = p.seq_q;
        d.seq_kv = p.seq_kv;
        d.num_splits = splits;
        d.keys_per_split = keys_per_split;
        d.scale = 1.0f / std::sqrt((float)p.dim);
        d.scale_log2 = d.scale * 1.4426950408889634f;
        d.caps = caps;
        const int packed = p.heads / p.kv_heads * p.seq_q;
        const int row_blocks = (packed + rows - 1) / rows;
        na_launch(split_fn, splits, p.kv_heads * row_blocks, p.batch, threads, smem, d);
        NA_CHECK(cuCtxSynchronize());

        typename S::Combine m{};
        m.o_partial = o_partial.as<const float>();
        m.lse_partial = lse_partial.as<const float>();
        m.o = t.o.as<void>();
        m.o_batch_stride = t.o_layout.batch;
        m.o_head_stride = t.o_layout.head;
        m.o_seq_stride = t.o_layout.seq;
        m.lse = t.lse.as<float>();
        m.batch = p.batch;
        m.heads = p.heads;
        m.seq_q = p.seq_q;
        m.num_partials = partials;
        na_launch(combine_fn, (unsigned)((row_count + combine_warps - 1) / combine_warps), 1, 1, combine_warps * 32, 0,
                  m);
        NA_CHECK(cuCtxSynchronize());
        const Errors e = compare(ref, p, t, true);
        worst.merge(e);
        if (!e.ok(tol))
        {
            pass = false;
            report_case("decode splits=" + std::to_string(splits), p, e);
        }
    }
    std::printf("  %s decode  %-14s %s D=%3d DV=%3d: rel_l2 %.2e max_abs %.2e lse_abs %.2e\n", pass ? "ok  " : "FAIL",
                S::name, dtype.c_str(), dim, vdim, worst.rel_l2, worst.max_abs, worst.lse_abs);
    return pass;
}

// The reference kernel against fp64 on the CPU, for the dense and causal specs (masks the host can state).
template <class S>
bool check_reference(const NaModule& ref)
{
    const Problem p{1, 2, 1, 37, 53, 64, 64, false};
    Tensors t(p, ref, 7);
    NaCaptureStore store;
    run_reference<S>(ref, p, t, S::captures(store, p.heads, p.seq_kv, test_captures(7)));
    NaBuffer scratch(4 * std::max({t.q.bytes(), t.k.bytes(), t.v.bytes()}) / 2);
    const std::vector<float> q = Tensors::to_float(ref, t.q, scratch);
    const std::vector<float> k = Tensors::to_float(ref, t.k, scratch);
    const std::vector<float> v = Tensors::to_float(ref, t.v, scratch);
    const std::vector<float> ro = t.ref_o.download<float>();
    const std::vector<float> rl = t.ref_lse.download<float>();
    const bool causal = S::has_mask;
    double worst = 0;
    for (int h = 0; h < p.heads; ++h)
        for (int i = 0; i < p.seq_q; ++i)
        {
            const int pos = i + p.seq_kv - p.seq_q;
            std::vector<double> s(p.seq_kv);
            double mx = -INFINITY;
            for (int j = 0; j < p.seq_kv; ++j)
            {
                double dot = 0;
                for (int d = 0; d < p.dim; ++d)
                    dot += (double)q[(h * p.seq_q + i) * p.dim + d] * k[j * p.dim + d];
                s[j] = causal && j > pos ? -INFINITY : dot / std::sqrt((double)p.dim);
                mx = std::max(mx, s[j]);
            }
            double sum = 0;
            for (int j = 0; j < p.seq_kv; ++j)
                sum += std::exp(s[j] - mx);
            for (int d = 0; d < p.value_dim; ++d)
            {
                double acc = 0;
                for (int j = 0; j < p.seq_kv; ++j)
                    acc += std::exp(s[j] - mx) * v[j * p.value_dim + d];
                worst = std::max(worst, std::fabs(acc / sum - ro[(h * p.seq_q + i) * p.value_dim + d]));
            }
            worst = std::max(worst, std::fabs(mx + std::log(sum) - rl[h * p.seq_q + i]));
        }
    const bool ok = worst < 1e-4;
    std::printf("  %s reference %s vs fp64 CPU: max abs error %.2e\n", ok ? "ok  " : "FAIL", S::name, worst);
    return ok;
}

struct Filter
{
    std::string spec, dtype;
    int dim = 0;
};

template <class S>
int test_spec(const Units& units, const Filter& filter)
{
    int failures = 0;
    if (!filter.spec.empty() && filter.spec != S::name)
        return 0;
    NaModule classify(units.path("classify", S::name, "bf16", 64, 64));
    for (const std::string dtype : {"bf16", "fp16"})
    {
        if (!filter.dtype.empty() && filter.dtype != dtype)
            continue;
        NaModule ref(units.path("reference", S::name, dtype, 64, 64));
        if (dtype == "bf16" && (std::string(S::name) == "dense" || std::string(S::name) == "causal"))
            failures += !check_reference<S>(ref);
        for (int dim : {64, 128, 256})
        {
            if (filter.dim != 0 && filter.dim != dim)
                continue;
            failures += !test_forward<S>(units, ref, classify, dtype, dim, dim);
            failures += !test_decode<S>(units, ref, dtype, dim, dim);
        }
        const bool extra = (std::string(S::name) == "causal" && dtype == "bf16") ||
                           (std::string(S::name) == "alibi_causal" && dtype == "fp16");
        if (extra && filter.dim == 0)
        {
            const int dim = dtype == "bf16" ? 128 : 64, vdim = dtype == "bf16" ? 64 : 128;
            failures += !test_forward<S>(units, ref, classify, dtype, dim, vdim);
            failures += !test_decode<S>(units, ref, dtype, dim, vdim);
        }
    }
    return failures;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
    {
        std::fprintf(stderr, "usage: %s <units dir> [spec [dtype [head dim]]]\n", argv[0]);
        return 2;
    }
    const Units units{argv[1]};
    Filter filter;
    if (argc > 2)
        filter.spec = argv[2];
    if (argc > 3)
        filter.dtype = argv[3];
    if (argc > 4)
        filter.dim = std::atoi(argv[4]);
    na_init_device();
    CUdevice device;
    NA_CHECK(cuCtxGetDevice(&device));
    char name[256];
    NA_CHECK(cuDeviceGetName(name, sizeof name, device));
    std::printf("device: %s\n", name);
    int failures = 0;
    failures += test_spec<NaDenseSpec>(units, filter);
    failures += test_spec<NaCausalSpec>(units, filter);
    failures += test_spec<NaSlidingWindowSpec>(units, filter);
    failures += test_spec<NaAlibiCausalSpec>(units, filter);
    failures += test_spec<NaSoftcapSpec>(units, filter);
    failures += test_spec<NaDocumentSpec>(units, filter);
    std::printf("%s: %d failing unit test(s)\n", failures ? "FAILED" : "PASSED", failures);
    return failures ? 1 : 0;
}
