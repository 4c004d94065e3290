using Microsoft.CodeAnalysis.CSharp;

namespace NativeAttention.Generators.Emit;

/// <summary>Maps a compound assignment (<c>x += y</c>) to the binary operator it applies, for every emitter.</summary>
internal static class CompoundAssignments
{
    /// <summary>Returns the binary operator kind of a compound assignment kind.</summary>
    public static SyntaxKind ToBinary(SyntaxKind kind) => kind switch
    {
        SyntaxKind.AddAssignmentExpression => SyntaxKind.AddExpression,
        SyntaxKind.SubtractAssignmentExpression => SyntaxKind.SubtractExpression,
        SyntaxKind.MultiplyAssignmentExpression => SyntaxKind.MultiplyExpression,
        SyntaxKind.DivideAssignmentExpression => SyntaxKind.DivideExpression,
        SyntaxKind.ModuloAssignmentExpression => SyntaxKind.ModuloExpression,
        SyntaxKind.AndAssignmentExpression => SyntaxKind.BitwiseAndExpression,
        SyntaxKind.OrAssignmentExpression => SyntaxKind.BitwiseOrExpression,
        SyntaxKind.ExclusiveOrAssignmentExpression => SyntaxKind.ExclusiveOrExpression,
        SyntaxKind.LeftShiftAssignmentExpression => SyntaxKind.LeftShiftExpression,
        SyntaxKind.RightShiftAssignmentExpression => SyntaxKind.RightShiftExpression,
        SyntaxKind.UnsignedRightShiftAssignmentExpression => SyntaxKind.UnsignedRightShiftExpression,
        _ => throw new System.InvalidOperationException("Unsupported compound assignment " + kind),
    };
}
