using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>Owns a <c>cuStreamCreate</c> stream.</summary>
internal sealed unsafe class CudaStreamHandle(nint context, nint stream) : CudaContextHandle(context, stream)
{
    protected override delegate*<nint, int> Release => &CudaDriverApi.cuStreamDestroy_v2;
}
