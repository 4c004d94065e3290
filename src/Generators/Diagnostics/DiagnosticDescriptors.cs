using Microsoft.CodeAnalysis;

namespace NativeAttention.Generators.Diagnostics;

/// <summary>Every diagnostic the generator reports. Ids are stable: tests and users suppress by id.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "NativeAttention";

    private const string Allowed =
        "allowed: locals, if/else, ?:, return, arithmetic/comparison/logical/bitwise operators on float, int and bool, casts, literals, const fields, Math/MathF functions, static methods of the spec, indexing span captures";

    public static readonly DiagnosticDescriptor SpecNotStaticPartial = Error(
        "NA0001", "Spec must be a static partial class", "The attention variant spec '{0}' must be declared 'static partial'");

    public static readonly DiagnosticDescriptor NoMods = Error(
        "NA0002", "Spec has no mods", "The attention variant spec '{0}' has neither a [ScoreMod] nor a [MaskMod] method; it needs at least one");

    public static readonly DiagnosticDescriptor DuplicateScoreMod = Error(
        "NA0003", "More than one score mod", "The spec '{0}' already has the [ScoreMod] method '{1}'; a spec has at most one");

    public static readonly DiagnosticDescriptor DuplicateMaskMod = Error(
        "NA0004", "More than one mask mod", "The spec '{0}' already has the [MaskMod] method '{1}'; a spec has at most one");

    public static readonly DiagnosticDescriptor InvalidScoreModSignature = Error(
        "NA0005", "Invalid score mod signature", "The [ScoreMod] method '{0}' must be 'static float {0}(float score, int batch, int head, int q, int kv, captures...)' with a body: {1}");

    public static readonly DiagnosticDescriptor InvalidMaskModSignature = Error(
        "NA0006", "Invalid mask mod signature", "The [MaskMod] method '{0}' must be 'static bool {0}(int batch, int head, int q, int kv, captures...)' with a body: {1}");

    public static readonly DiagnosticDescriptor InvalidCaptureType = Error(
        "NA0007", "Invalid capture type", "The capture '{0}' has type '{1}'; captures must be ReadOnlySpan<float>, ReadOnlySpan<int>, float or int");

    public static readonly DiagnosticDescriptor CaptureTypeClash = Error(
        "NA0008", "Capture type clash", "The capture '{0}' is '{1}' here but '{2}' in the other mod; a name shared by both mods is one input and needs one type");

    public static readonly DiagnosticDescriptor UnsafeBlocksRequired = Error(
        "NA0009", "AllowUnsafeBlocks required", "The spec '{0}' has span captures, which the generated code pins with 'fixed': set <AllowUnsafeBlocks>true</AllowUnsafeBlocks> in the project");

    public static readonly DiagnosticDescriptor Loop = Error(
        "NA0010", "Loop in a spec", "A '{0}' loop cannot be used in a spec method; " + Allowed);

    public static readonly DiagnosticDescriptor Allocation = Error(
        "NA0011", "Allocation in a spec", "An allocation ({0}) cannot be used in a spec method; " + Allowed);

    public static readonly DiagnosticDescriptor StringUse = Error(
        "NA0012", "String or char in a spec", "A {0} cannot be used in a spec method; " + Allowed);

    public static readonly DiagnosticDescriptor Lambda = Error(
        "NA0013", "Lambda or local function in a spec", "A {0} cannot be used in a spec method; " + Allowed);

    public static readonly DiagnosticDescriptor ForeignMethod = Error(
        "NA0014", "Call to another type's method", "The call to '{0}' cannot be used in a spec method: only Math/MathF functions and static methods of the spec itself can be called");

    public static readonly DiagnosticDescriptor InstanceState = Error(
        "NA0015", "State in a spec", "'{0}' ({1}) cannot be used in a spec method: only parameters, locals and const fields are visible on the GPU");

    public static readonly DiagnosticDescriptor RefOut = Error(
        "NA0016", "ref/out/in in a spec", "'{0}' cannot be used in a spec method: ref, out and in pass by reference, which the GPU code does not support");

    public static readonly DiagnosticDescriptor Recursion = Error(
        "NA0017", "Recursion in a spec", "The call to '{0}' is recursive; spec methods become inlined GPU functions and cannot recurse");

    public static readonly DiagnosticDescriptor UnsupportedType = Error(
        "NA0018", "Unsupported type in a spec", "The type '{0}' cannot be used in a spec method: values must be float, int or bool (use float and MathF for double)");

    public static readonly DiagnosticDescriptor UnsupportedConstruct = Error(
        "NA0019", "Unsupported construct in a spec", "{0} cannot be used in a spec method; " + Allowed);

    public static readonly DiagnosticDescriptor InvalidHelperSignature = Error(
        "NA0020", "Invalid spec helper method", "The helper '{0}' called from a mod must be a non-generic static method of the spec with a body, whose parameters and result are float, int or bool: {1}");

    public static readonly DiagnosticDescriptor InvalidSpecShape = Error(
        "NA0021", "Spec cannot be nested or generic", "The spec '{0}' must be a non-generic class declared directly in a namespace");

    public static readonly DiagnosticDescriptor ReservedCaptureName = Error(
        "NA0022", "Reserved capture name", "The capture '{0}' clashes with a parameter of the generated Forward method; rename it (reserved: query, key, value, output, options)");

    public static readonly DiagnosticDescriptor UnsupportedMathMethod = Error(
        "NA0023", "Unsupported Math function", "'{0}' cannot be used in a spec method; allowed are Abs, Min, Max, Clamp, Exp, Log, Log2, Tanh, Sqrt, Pow, Floor, Ceiling, Round and Sign of Math or MathF with float or int operands (MathF for the float-only functions)");

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
