using System.Runtime.InteropServices;

namespace NativeAttention.Interop;

/// <summary>
/// NVRTC entry points (blittable, source-generated). Programs are <see cref="nint"/>, strings are null-terminated
/// UTF-8 <see cref="byte"/> pointers, every call returns an <c>nvrtcResult</c> as <see cref="int"/>.
/// </summary>
internal static unsafe partial class NvrtcApi
{
    internal const int Success = 0;
    internal const int ErrorCompilation = 6;

    [LibraryImport(NativeLibraries.Nvrtc)]
    internal static partial int nvrtcVersion(int* major, int* minor);

    [LibraryImport(NativeLibraries.Nvrtc)]
    internal static partial byte* nvrtcGetErrorString(int result);

    [LibraryImport(NativeLibraries.Nvrtc)]
    internal static partial int nvrtcCreateProgram(
        nint* program, byte* source, byte* name, int headerCount, byte** headers, byte** includeNames);

    [LibraryImport(NativeLibraries.Nvrtc)]
    internal static partial int nvrtcDestroyProgram(nint* program);

    [LibraryImport(NativeLibraries.Nvrtc)]
    internal static partial int nvrtcCompileProgram(nint program, int optionCount, byte** options);

    [LibraryImport(NativeLibraries.Nvrtc)]
    internal static partial int nvrtcGetProgramLogSize(nint program, nuint* size);

    [LibraryImport(NativeLibraries.Nvrtc)]
    internal static partial int nvrtcGetProgramLog(nint program, byte* log);

    [LibraryImport(NativeLibraries.Nvrtc)]
    internal static partial int nvrtcGetPTXSize(nint program, nuint* size);

    [LibraryImport(NativeLibraries.Nvrtc)]
    internal static partial int nvrtcGetPTX(nint program, byte* ptx);

    [LibraryImport(NativeLibraries.Nvrtc)]
    internal static partial int nvrtcGetCUBINSize(nint program, nuint* size);

    [LibraryImport(NativeLibraries.Nvrtc)]
    internal static partial int nvrtcGetCUBIN(nint program, byte* cubin);
}
