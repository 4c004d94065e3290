using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>Owns a <c>cuEventCreate</c> event.</summary>
internal sealed unsafe class CudaEventHandle(nint context, nint cudaEvent) : CudaContextHandle(context, cudaEvent)
{
    protected override delegate*<nint, int> Release => &CudaDriverApi.cuEventDestroy_v2;
}
