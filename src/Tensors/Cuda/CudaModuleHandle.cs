using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>Owns a <c>cuModuleLoadData</c> module.</summary>
internal sealed unsafe class CudaModuleHandle(nint context, nint module) : CudaContextHandle(context, module)
{
    protected override delegate*<nint, int> Release => &CudaDriverApi.cuModuleUnload;
}
