using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>Compiles CUDA C++ source at run time with NVRTC.</summary>
public static partial class NvrtcCompiler
{
    /// <summary>Gets the NVRTC version (e.g. 12.8).</summary>
    /// <exception cref="InvalidOperationException">NVRTC is not available; the message says why.</exception>
    public static Version Version
    {
        get
        {
            Cuda.EnsureNvrtc();
            return Cuda.NvrtcVersion!;
        }
    }

    /// <summary>
    /// Compiles <paramref name="source"/>. A real architecture ("sm_90", "sm_90a") yields a CUBIN that loads without JIT;
    /// a virtual one ("compute_80") yields PTX.
    /// </summary>
    /// <param name="source">Header-free CUDA C++ source; kernels should be <c>extern "C"</c> so their names are not mangled.</param>
    /// <param name="programName">The name NVRTC uses in diagnostics, e.g. "flash_forward.cu".</param>
    /// <param name="arch">"sm_XX", "sm_XXa", "sm_XXf" or "compute_XX" (passed as <c>--gpu-architecture</c>).</param>
    /// <param name="options">Further NVRTC options, e.g. "-std=c++17", "--use_fast_math", "-DHEAD_DIM=128".</param>
    /// <returns>The image and the compiler log.</returns>
    /// <exception cref="ArgumentException"><paramref name="arch"/> is not of a supported form, or an option sets the architecture itself.</exception>
    /// <exception cref="NvrtcException">Compilation failed (the exception holds the full log) or NVRTC returned an error.</exception>
    /// <exception cref="InvalidOperationException">NVRTC is not available.</exception>
    public static unsafe NvrtcCompilation Compile(string source, string programName, string arch, IEnumerable<string>? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(programName);
        bool isCubin = ParseArch(arch);
        string[] allOptions = BuildOptions(arch, options);
        Cuda.EnsureNvrtc();

        byte[] sourceUtf8 = NullTerminated(source);
        byte[] nameUtf8 = NullTerminated(programName);

        nint program;
        fixed (byte* sourcePointer = sourceUtf8)
        fixed (byte* namePointer = nameUtf8)
        {
            Check(NvrtcApi.nvrtcCreateProgram(&program, sourcePointer, namePointer, 0, null, null), "nvrtcCreateProgram");
        }

        try
        {
            int compiled = CompileProgram(program, allOptions);
            string log = ReadLog(program);
            if (compiled != NvrtcApi.Success)
            {
                throw new NvrtcException(compiled, ErrorString(compiled), $"nvrtcCompileProgram of '{programName}' for {arch}", log);
            }

            byte[] image = isCubin ? ReadCubin(program) : ReadPtx(program);
            return new NvrtcCompilation(image, isCubin, log);
        }
        finally
        {
            NvrtcApi.nvrtcDestroyProgram(&program);
        }
    }

    /// <summary>Returns true for a real architecture (CUBIN), false for a virtual one (PTX); throws for anything else.</summary>
    internal static bool ParseArch(string arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        Match match = ArchPattern().Match(arch);
        if (!match.Success)
        {
            throw new ArgumentException(
                $"Expected an architecture of the form sm_XX, sm_XXa, sm_XXf (CUBIN) or compute_XX, compute_XXa (PTX); actual '{arch}'.", nameof(arch));
        }

        return match.Groups["kind"].Value == "sm";
    }

    private static string[] BuildOptions(string arch, IEnumerable<string>? options)
    {
        var list = new List<string> { $"--gpu-architecture={arch}" };
        if (options is not null)
        {
            foreach (string option in options)
            {
                ArgumentNullException.ThrowIfNull(option, nameof(options));
                if (option.StartsWith("-arch", StringComparison.Ordinal) || option.StartsWith("--gpu-architecture", StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Expected the architecture only in the arch argument ('{arch}'); actual option '{option}'.", nameof(options));
                }

                list.Add(option);
            }
        }

        return [.. list];
    }

    private static unsafe int CompileProgram(nint program, string[] options)
    {
        int[] starts = new int[options.Length];
        int total = 0;
        for (int i = 0; i < options.Length; i++)
        {
            starts[i] = total;
            total += Encoding.UTF8.GetByteCount(options[i]) + 1;
        }

        byte[] packed = new byte[total];
        for (int i = 0; i < options.Length; i++)
        {
            Encoding.UTF8.GetBytes(options[i], packed.AsSpan(starts[i]));
        }

        byte** pointers = stackalloc byte*[options.Length];
        fixed (byte* first = packed)
        {
            for (int i = 0; i < options.Length; i++)
            {
                pointers[i] = first + starts[i];
            }

            return NvrtcApi.nvrtcCompileProgram(program, options.Length, pointers);
        }
    }

    private static unsafe string ReadLog(nint program)
    {
        nuint size;
        Check(NvrtcApi.nvrtcGetProgramLogSize(program, &size), "nvrtcGetProgramLogSize");
        if (size <= 1)
        {
            return string.Empty;
        }

        byte[] log = new byte[(int)size];
        fixed (byte* pointer = log)
        {
            Check(NvrtcApi.nvrtcGetProgramLog(program, pointer), "nvrtcGetProgramLog");
        }

        return Encoding.UTF8.GetString(log, 0, log.Length - 1).TrimEnd();
    }

    private static unsafe byte[] ReadCubin(nint program)
    {
        nuint size;
        Check(NvrtcApi.nvrtcGetCUBINSize(program, &size), "nvrtcGetCUBINSize");
        byte[] image = new byte[(int)size];
        fixed (byte* pointer = image)
        {
            Check(NvrtcApi.nvrtcGetCUBIN(program, pointer), "nvrtcGetCUBIN");
        }

        return image;
    }

    private static unsafe byte[] ReadPtx(nint program)
    {
        nuint size;
        Check(NvrtcApi.nvrtcGetPTXSize(program, &size), "nvrtcGetPTXSize");
        byte[] image = new byte[(int)size];
        fixed (byte* pointer = image)
        {
            Check(NvrtcApi.nvrtcGetPTX(program, pointer), "nvrtcGetPTX");
        }

        int length = image.Length;
        while (length > 0 && image[length - 1] == 0)
        {
            length--;
        }

        return image.AsSpan(0, length).ToArray();
    }

    private static void Check(int result, string operation)
    {
        if (result != NvrtcApi.Success)
        {
            throw new NvrtcException(result, ErrorString(result), operation, string.Empty);
        }
    }

    private static unsafe string ErrorString(int result) =>
        Marshal.PtrToStringUTF8((nint)NvrtcApi.nvrtcGetErrorString(result)) ?? $"NVRTC error {result}";

    private static byte[] NullTerminated(string text)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    [GeneratedRegex(@"^(?<kind>sm|compute)_[1-9][0-9]{1,2}[af]?$", RegexOptions.CultureInvariant)]
    private static partial Regex ArchPattern();
}
