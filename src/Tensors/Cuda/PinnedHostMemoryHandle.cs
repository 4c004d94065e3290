using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>Owns a <c>cuMemAllocHost_v2</c> (page-locked) host allocation.</summary>
internal sealed unsafe class PinnedHostMemoryHandle(nint context, nint hostPointer) : CudaContextHandle(context, hostPointer)
{
    protected override delegate*<nint, int> Release => &Free;

    private static int Free(nint hostPointer) => CudaDriverApi.cuMemFreeHost((void*)hostPointer);
}
