using System.Collections.Generic;

namespace NativeAttention;

/// <summary>Compiles one kernel source; <see cref="KernelCache"/> calls it on a miss (NVRTC by default, a counter in tests).</summary>
/// <param name="source">The CUDA C++ source.</param>
/// <param name="programName">The name used in diagnostics.</param>
/// <param name="arch">The target architecture, e.g. "sm_90" or "compute_80".</param>
/// <param name="options">The compiler options, without the architecture.</param>
/// <returns>The compiled image and log.</returns>
public delegate NvrtcCompilation KernelCompiler(string source, string programName, string arch, IReadOnlyList<string> options);
