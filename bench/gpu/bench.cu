// Native benchmark of the kernel templates on the shapes of shared/reference/ANCHORS.md: bf16, 16 heads of 128,
// batch x seq = 16384 tokens. Forward: dense and causal at S = 1024/4096/16384; sliding window 1024, ALiBi + causal
// and tanh soft-cap 30 at S = 4096. Decode: B=16, H=16, one query, 32768 keys (split + combine, TB/s of K+V read).
// Each figure is the median of 30 launches timed one by one with CUDA events after 5 warm-ups.
// FLOPs = 4 * B * H * D * (kept (q, kv) pairs): S^2 dense, S(S+1)/2 causal; bench/gpu/peers.py counts the same way.
//   na_bench <units dir> <results.json> [filter]   (filter: run only the cases whose key contains it)
#include "specs.cuh"

namespace
{

constexpr int kHeads = 16;
constexpr int kDim = 128;
constexpr int kTokens = 16384;
constexpr int kWarmup = 5;
constexpr int kReps = 30;

struct Timer
{
    CUevent start, stop;
    Timer()
    {
        NA_CHECK(cuEventCreate(&start, CU_EVENT_DEFAULT));
        NA_CHECK(cuEventCreate(&stop, CU_EVENT_DEFAULT));
    }
    ~Timer()
    {
        cuEventDestroy(start);
        cuEventDestroy(stop);
    }

    // Median milliseconds of `launch` over kReps timed runs after kWarmup untimed ones.
    template <class F>
    double median_ms(F&& launch)
    {
        for (int i = 0; i < kWarmup; ++i)
            launch();
        NA_CHECK(cuCtxSynchronize());
        std::vector<double> times;
        for (int i = 0; i < kReps; ++i)
        {
            NA_CHECK(cuEventRecord(start, nullptr));
            launch();
            NA_CHECK(cuEventRecord(stop, nullptr));
            NA_CHECK(cuEventSynchronize(stop));
            float ms;
            NA_CHECK(cuEventElapsedTime(&ms, start, stop));
            times.push_back(ms);
        }
        return na_median(times);
    }
};

void fill(const NaModule& ref, const NaBuffer& b, unsigned seed, float amplitude)
{
    CUdeviceptr ptr = b.ptr();
    long long n = (long long)(b.bytes() / 2);
    void* args[] = {&ptr, &n, &seed, &amplitude};
    NA_CHECK(cuLaunchKernel(ref.function("na_test_fill"), 1024, 1, 1, 256, 1, 1, 0, nullptr, args, nullptr));
}

long long count_nan_bf16(const NaBuffer& b)
{
    const std::vector<unsigned short> bits = b.download<unsigned short>();
    return std::count_if(bits.begin(), bits.end(), [](unsigned short x) { return (x & 0x7FFF) > 0x7F80; });
}

struct Result
{
    std::string key;
    double ms, rate; // TFLOP/s for forward, TB/s for decode
    long long nan;
};

std::string unit_path(const std::string& dir, const std::string& kind, const char* spec)
{
    return dir + "/" + kind + "_" + spec + "_bf16_" + (kind == "classify" || kind == "reference" ? "64_64" : "128_128") +
           ".fatbin";
}

template <class S>
Result bench_forward(const std::string& dir, const NaModule& ref, int seq, const NaCaptureValues& values,
                     double kept_pairs, const std::string& key)
{
    const int batch = kTokens / seq;
    if (!std::ifstream(unit_path(dir, "forward", S::name)).good())
        return {key + " (no unit)", 0, 0, 0};
    NaModule unit(unit_path(dir, "forward", S::name));
    const std::vector<int> cfg = unit.config("na_forward_config", 4);
    const int block_m = cfg[0], block_n = cfg[1], threads = cfg[2], smem = cfg[3];
    const size_t elems = (size_t)batch * kHeads * seq * kDim;
    NaBuffer q(2 * elems), k(2 * elems), v(2 * elems), o(2 * elems);
    fill(ref, q, 1, 2.0f);
    fill(ref, k, 2, 2.0f);
    fill(ref, v, 3, 1.0f);
    o.poison16();
    NaCaptureStore store;
    const typename S::Captures caps = S::captures(store, kHeads, seq, values);

    const int q_tiles = (seq + block_m - 1) / block_m;
    const int kv_tiles = (seq + block_n - 1) / block_n;
    NaBuffer map((size_t)q_tiles * kv_tiles);
    if (S::has_mask)
    {
        NaModule classify(unit_path(dir, "classify", S::name));
        typename S::Classify c{};
        c.tile_map = map.as<unsigned char>();
        c.tile_map_q_stride = kv_tiles;
        c.map_batch = 1;
        c.map_heads = 1;
        c.seq_q = seq;
        c.seq_kv = seq;
        c.tile_q = block_m;
        c.tile_kv = block_n;
        c.caps = caps;
        na_launch(classify.function("na_classify_tiles"), kv_tiles, q_tiles, 1, 256, 0, c);
        NA_CHECK(cuCtxSynchronize());
    }

    typename S::Forward f{};
    f.q = q.as<const void>();
    f.k = k.as<const void>();
    f.v = v.as<const void>();
    f.o = o.as<void>();
    f.q_batch_stride = f.k_batch_stride = f.v_batch_stride = f.o_batch_stride = (long long)kHeads * seq * kDim;
    f.q_head_stride = f.k_head_stride = f.v_head_stride = f.o_head_stride = (long long)seq * kDim;
    f.q_seq_stride = f.k_seq_stride = f.v_seq_stride = f.o_seq_stride = kDim;
    f.lse = nullptr;
    f.tile_map = S::has_mask ? map.as<const unsigned char>() : nullptr;
    f.tile_map_q_stride = kv_tiles;
    f.batch = batch;
    f.heads = kHeads;
    f.kv_heads = kHeads;
    f.seq_q = seq;
    f.seq_kv = seq;
    f.scale = 1.0f / std::sqrt((float)kDim);
    f.scale_log2 = f.scale * 1.4426950408889634f;
    f.caps = caps;
    const CUfunction fn = unit.function("na_flash_forward");
    Timer timer;
    const double ms = timer.median_ms([&] { na_launch(fn, q_tiles, kHeads, batch, threads, smem, f); });
    NA_CHECK(cuCtxSynchronize());
    const double flops = 4.0 * batch * kHeads * kDim * kept_pairs;
    return {key, ms, flops / (ms * 1e-3) / 1e12, count_nan_bf16(o)};
}

Result bench_decode(const std::string& dir, const NaModule& ref, int splits_wanted)
{
    const int batch = 16, seq_kv = 32768;
    NaModule unit(unit_path(dir, "decode", NaDenseSpec::name));
    const std::vector<int> cfg = unit.config("na_decode_config", 5);
    const int block_n = cfg[1], threads = cfg[2], smem = cfg[3], warps = cfg[4];
    const int combine_warps = unit.config("na_combine_config", 1)[0];
    const size_t kv_elems = (size_t)batch * kHeads * seq_kv * kDim;
    NaBuffer q(2ull * batch * kHeads * kDim), k(2 * kv_elems), v(2 * kv_elems), o(2ull * batch * kHeads * kDim);
    fill(ref, q, 4, 2.0f);
    fill(ref, k, 5, 2.0f);
    fill(ref, v, 6, 1.0f);
    o.poison16();
    const int per_split = (seq_kv + splits_wanted - 1) / splits_wanted;
    const int keys_per_split = (per_split + block_n - 1) / block_n * block_n;
    const int splits = (seq_kv + keys_per_split - 1) / keys_per_split;
    const int partials = splits * warps;
    const int rows = batch * kHeads;
    NaBuffer o_partial(4ull * rows * partials * kDim), lse_partial(4ull * rows * partials);

    NaDenseSpec::Decode d{};
    d.q = q.as<const void>();
    d.k = k.as<const void>();
    d.v = v.as<const void>();
    d.q_batch_stride = (long long)kHeads * kDim;
    d.q_head_stride = kDim;
    d.q_seq_stride = kDim;
    d.k_batch_stride = d.v_batch_stride = (long long)kHeads * seq_kv * kDim;
    d.k_head_stride = d.v_head_stride = (long long)seq_kv * kDim;
    d.k_seq_stride = d.v_seq_stride = kDim;
    d.o_partial = o_partial.as<float>();
    d.lse_partial = lse_partial.as<float>();
    d.batch = batch;
    d.heads = kHeads;
    d.kv_heads = kHeads;
    d.seq_q = 1;
    d.seq_kv = seq_kv;
    d.num_splits = splits;
    d.keys_per_split = keys_per_split;
    d.scale = 1.0f / std::sqrt((float)kDim);
    d.scale_log2 = d.scale * 1.4426950408889634f;
    d.caps = {0};
    NaDenseSpec::Combine m{};
    m.o_partial = o_partial.as<const float>();
    m.lse_partial = lse_partial.as<const float>();
    m.o = o.as<void>();
    m.o_batch_stride = (long long)kHeads * kDim;
    m.o_head_stride = kDim;
    m.o_seq_stride = kDim;
    m.lse = nullptr;
    m.batch = batch;
    m.heads = kHeads;
    m.seq_q = 1;
    m.num_partials = partials;
    const CUfunction split_fn = unit.function("na_decode_split");
    const CUfunction combine_fn = unit.function("na_decode_combine");
    Timer timer;
    const double ms = timer.median_ms([&] {
        na_launch(split_fn, splits, kHeads, batch, threads, smem, d);
        na_launch(combine_fn, (rows + combine_warps - 1) / combine_warps, 1, 1, combine_warps * 32, 0, m);
    });
    NA_CHECK(cuCtxSynchronize());
    const double bytes = 2.0 * kv_elems * 2;
    return {"decode_splits" + std::to_string(splits), ms, bytes / (ms * 1e-3) / 1e12, count_nan_bf16(o)};
}

double causal_pairs(double s) { return s * (s + 1) / 2; }

double window_pairs(long long s, long long w)
{
    double pairs = 0;
    for (long long q = 0; q < s; ++q)
        pairs += (double)std::min(q + 1, w);
    return pairs;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3)
    {
        std::fprintf(stderr, "usage: %s <units dir> <results.json>\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    na_init_device();
    NaModule ref(unit_path(dir, "reference", NaDenseSpec::name));
    NaCaptureValues values;
    values.window = 1024;
    values.cap = 30.0f;

    const std::string filter = argc > 3 ? argv[3] : "";
    const auto wanted = [&](const std::string& key) { return key.find(filter) != std::string::npos; };
    std::vector<Result> results;
    for (int seq : {1024, 4096, 16384})
    {
        const std::string s = std::to_string(seq);
        if (wanted("fwd_dense_S" + s))
            results.push_back(
                bench_forward<NaDenseSpec>(dir, ref, seq, values, (double)seq * seq, "fwd_dense_S" + s));
        if (wanted("fwd_causal_S" + s))
            results.push_back(
                bench_forward<NaCausalSpec>(dir, ref, seq, values, causal_pairs(seq), "fwd_causal_S" + s));
    }
    if (wanted("fwd_sliding1024_S4096"))
        results.push_back(bench_forward<NaSlidingWindowSpec>(dir, ref, 4096, values, window_pairs(4096, 1024),
                                                             "fwd_sliding1024_S4096"));
    if (wanted("fwd_alibi_causal_S4096"))
        results.push_back(
            bench_forward<NaAlibiCausalSpec>(dir, ref, 4096, values, causal_pairs(4096), "fwd_alibi_causal_S4096"));
    if (wanted("fwd_softcap30_S4096"))
        results.push_back(
            bench_forward<NaSoftcapSpec>(dir, ref, 4096, values, 4096.0 * 4096, "fwd_softcap30_S4096"));
    if (wanted("decode"))
        for (int splits : {4, 8, 16, 32})
            results.push_back(bench_decode(dir, ref, splits));

    std::FILE* json = std::fopen(argv[2], "w");
    if (json == nullptr)
    {
        std::fprintf(stderr, "cannot write %s\n", argv[2]);
        return 2;
    }
    std::fprintf(json, "{\n");
    long long nan = 0;
    for (size_t i = 0; i < results.size(); ++i)
    {
        const Result& r = results[i];
        const bool decode = r.key.rfind("decode", 0) == 0;
        std::printf("%-26s %9.3f ms %8.1f %s%s\n", r.key.c_str(), r.ms, r.rate, decode ? "TB/s" : "TFLOP/s",
                    r.nan ? "  (NaN in output!)" : "");
        std::fprintf(json, "  \"%s\": {\"ms\": %.5f, \"%s\": %.3f}%s\n", r.key.c_str(), r.ms,
                     decode ? "tbps" : "tflops", r.rate, i + 1 < results.size() ? "," : "");
        nan += r.nan;
    }
    std::fprintf(json, "}\n");
    std::fclose(json);
    return nan ? 1 : 0;
}
