namespace NativeAttention.Bench.Gpu;

/// <summary>One prefill measurement: its key in the JSON (bench.cu's names), sequence length, kept (q, kv) pairs per head and call.</summary>
internal sealed record GpuPrefillCase(string Key, int Seq, double KeptPairs, GpuBenchLaunch Launch)
{
    public static double Dense(int seq) => (double)seq * seq;

    public static double Causal(int seq) => seq * (seq + 1.0) / 2;

    /// <summary>Exactly <c>Σ_q min(q + 1, window)</c>, the pairs a causal window keeps.</summary>
    public static double Window(int seq, int window)
    {
        long head = System.Math.Min(seq, window);
        return (head * (head + 1.0) / 2) + ((double)(seq - head) * window);
    }
}
