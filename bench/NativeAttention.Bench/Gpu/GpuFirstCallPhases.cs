using System.Collections.Generic;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// Where a new process's first call spends its time, as the per-phase medians of <paramref name="Runs"/> child
/// processes: <c>main</c> (process start to Main), <c>source</c> (the compile units' text), <c>compiler</c> (the
/// default cache and the NVRTC version in its key), <c>first-hash</c> (the process's first cache-key hash),
/// <c>key</c>, <c>read</c> (disk entry read and checked), then on a GPU <c>load</c> (modules), <c>call</c> and
/// <c>second</c>. <paramref name="Code"/> says whether the libraries ran <c>precompiled</c> (their ReadyToRun code)
/// or <c>jit</c> (DOTNET_ReadyToRunExcludeList set for them: what every call paid before they were precompiled).
/// </summary>
internal sealed record GpuFirstCallPhases(string Variant, string Code, int Runs, IReadOnlyList<GpuStartupPhase> Phases);
