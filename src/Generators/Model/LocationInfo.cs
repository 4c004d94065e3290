using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NativeAttention.Generators.Model;

/// <summary>A source location without any reference to a syntax tree, so it can travel through the pipeline.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo From(Location location)
        => new(location.SourceTree?.FilePath ?? string.Empty, location.SourceSpan, location.GetLineSpan().Span);

    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}
