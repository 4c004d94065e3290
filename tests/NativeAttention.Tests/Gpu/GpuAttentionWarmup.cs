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
                     from unit in shape.IsDecode
                         ? new[] { (GpuKernelTemplate.Decode, type, head, value) }
                         : new[] { (GpuKernelTemplate.FlashForward, type, head, value), (GpuKernelTemplate.ClassifyTiles, GpuDataType.BFloat16, 64, 64) }
                     select (variant.Descriptor.CudaSource, unit.Item1, unit.Item2, unit.Item3, unit.Item4)).Distinct().ToArray();
        Parallel.ForEach(units, unit => GpuModuleCache.Get(device, unit.Item2, unit.CudaSource, unit.Item3, unit.Item4, unit.Item5));
    }
}
