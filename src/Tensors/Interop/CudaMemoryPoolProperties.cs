using System.Runtime.InteropServices;

namespace NativeAttention.Interop;

/// <summary>
/// CUmemPoolProps. CUDA 11 ends it with 64 reserved bytes; CUDA 12 carves maxSize and usage out of them, so the
/// size (88 bytes) is the same and zeroed reserved bytes mean the defaults in both.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CudaMemoryPoolProperties
{
    public const int AllocationTypePinned = 1;
    public const int LocationTypeDevice = 1;

    public int AllocationType;
    public int HandleTypes;
    public int LocationType;
    public int LocationId;
    public void* Win32SecurityAttributes;
    public fixed byte Reserved[64];
}
