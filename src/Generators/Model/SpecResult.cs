namespace NativeAttention.Generators.Model;

/// <summary>The outcome of analyzing one spec: the model when it is valid, and its diagnostics.</summary>
internal sealed record SpecResult(SpecModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo ClassLocation);
