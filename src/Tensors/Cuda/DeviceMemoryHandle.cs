using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>Owns a <c>cuMemAlloc_v2</c> allocation.</summary>
internal sealed unsafe class DeviceMemoryHandle(nint context, ulong devicePointer) : CudaContextHandle(context, (nint)devicePointer)
{
    protected override delegate*<nint, int> Release => &Free;

    private static int Free(nint devicePointer) => CudaDriverApi.cuMemFree_v2((ulong)devicePointer);
}
