using System.Linq;
using System.Threading.Tasks;

namespace NativeAttention.Tests.Gpu;

/// <summary>Compiles and loads every unit the GPU attention tests need, in parallel, before the first test runs.</summary>
public sealed class GpuAttentionWarmup
{
    public GpuAttentionWarmup()
    {
        if (!Cuda.IsAvailable || !CudaDevice.TryGet(0, out CudaDevice? device))
        {
            return;
        }

        var units = (from variant in GpuVariantCases.All
                     from shape in GpuTestCase.All
                     let head = GpuCompileUnit.PaddedDim(shape.HeadDim)
                     let value = GpuCompileUnit.PaddedDim(shape.ValueDim)
                     let type = shape.BFloat16 ? GpuDataType.BFloat16 : GpuDataType.Float16
                     let template = shape.IsDecode ? GpuKernelTemplate.Decode : GpuKernelTemplate.FlashForward
                     select (variant.Descriptor.CudaSource, template, type, head, value)).Distinct().ToArray();
        Parallel.ForEach(units, unit => GpuModuleCache.Get(device, unit.template, unit.CudaSource, unit.type, unit.head, unit.value));
    }
}
