using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NativeAttention.Generators.Diagnostics;
using NativeAttention.Generators.Model;

namespace NativeAttention.Generators.Analysis;

/// <summary>
/// Walks one spec method body and reports every construct outside the spec subset, one diagnostic per construct at
/// its location. Allowed constructs have an override that visits their parts; anything without one is rejected by
/// <see cref="DefaultVisit"/>, so C# features added later are rejected until someone decides how to translate them.
/// </summary>
internal sealed class BodyChecker : CSharpSyntaxWalker
{
    private readonly SemanticModel _model;
    private readonly INamedTypeSymbol _spec;
    private readonly IMethodSymbol _method;
    private readonly int _firstCapture;
    private readonly List<DiagnosticInfo> _diagnostics;

    public BodyChecker(SemanticModel model, INamedTypeSymbol spec, IMethodSymbol method, int firstCapture, List<DiagnosticInfo> diagnostics)
    {
        _model = model;
        _spec = spec;
        _method = method;
        _firstCapture = firstCapture;
        _diagnostics = diagnostics;
    }

    /// <summary>Gets the spec methods this body calls, with the call sites.</summary>
    public List<(IMethodSymbol Callee, Location Site)> Calls { get; } = [];

    public void CheckBody(BaseMethodDeclarationSyntax declaration)
    {
        if (declaration.ExpressionBody is { } arrow)
        {
            Visit(arrow.Expression);
        }
        else if (declaration.Body is { } body)
        {
            Visit(body);
        }
    }

    public override void DefaultVisit(SyntaxNode node)
    {
        if (node is ExpressionSyntax or StatementSyntax)
        {
            Report(DiagnosticDescriptors.UnsupportedConstruct, node.GetLocation(), Describe(node));
            return;
        }

        VisitChildren(node);
    }

    public override void VisitBlock(BlockSyntax node) => VisitChildren(node);

    public override void VisitEmptyStatement(EmptyStatementSyntax node)
    {
    }

    public override void VisitLocalDeclarationStatement(LocalDeclarationStatementSyntax node)
    {
        if (node.UsingKeyword.IsKind(SyntaxKind.UsingKeyword) || node.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword))
        {
            Report(DiagnosticDescriptors.UnsupportedConstruct, node.GetLocation(), "A using declaration");
            return;
        }

        TypeSyntax type = node.Declaration.Type;
        if (!type.IsVar)
        {
            ITypeSymbol? declared = _model.GetTypeInfo(type).Type;
            if (!SpecTypes.IsScalar(declared))
            {
                Report(DiagnosticDescriptors.UnsupportedType, type.GetLocation(), SpecTypes.Display(declared));
            }
        }

        foreach (VariableDeclaratorSyntax variable in node.Declaration.Variables)
        {
            if (type.IsVar && _model.GetDeclaredSymbol(variable) is ILocalSymbol local && SpecTypes.SpanElement(local.Type) is not null)
            {
                Report(DiagnosticDescriptors.UnsupportedConstruct, variable.GetLocation(), "A span-typed local (span captures can only be indexed or have Length read)");
            }

            if (variable.ArgumentList is not null)
            {
                Report(DiagnosticDescriptors.UnsupportedConstruct, variable.ArgumentList.GetLocation(), "A fixed-size buffer declaration");
            }

            if (variable.Initializer is { } initializer)
            {
                Visit(initializer.Value);
            }
        }
    }

    public override void VisitIfStatement(IfStatementSyntax node)
    {
        Visit(node.Condition);
        Visit(node.Statement);
        if (node.Else is { } elseClause)
        {
            Visit(elseClause.Statement);
        }
    }

    public override void VisitReturnStatement(ReturnStatementSyntax node)
    {
        if (node.Expression is { } expression)
        {
            Visit(expression);
        }
    }

    public override void VisitExpressionStatement(ExpressionStatementSyntax node)
    {
        switch (node.Expression)
        {
            case AssignmentExpressionSyntax assignment:
                CheckAssignmentTarget(assignment.Left, assignment);
                if (assignment.IsKind(SyntaxKind.CoalesceAssignmentExpression))
                {
                    Report(DiagnosticDescriptors.UnsupportedConstruct, assignment.OperatorToken.GetLocation(), "The ??= operator");
                }

                Visit(assignment.Right);
                break;
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } prefix:
                CheckAssignmentTarget(prefix.Operand, prefix);
                break;
            case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } postfix:
                CheckAssignmentTarget(postfix.Operand, postfix);
                break;
            default:
                Visit(node.Expression);
                break;
        }
    }

    // Loops
    public override void VisitForStatement(ForStatementSyntax node) => ReportLoop(node.ForKeyword, "for");

    public override void VisitForEachStatement(ForEachStatementSyntax node) => ReportLoop(node.ForEachKeyword, "foreach");

    public override void VisitForEachVariableStatement(ForEachVariableStatementSyntax node) => ReportLoop(node.ForEachKeyword, "foreach");

    public override void VisitWhileStatement(WhileStatementSyntax node) => ReportLoop(node.WhileKeyword, "while");

    public override void VisitDoStatement(DoStatementSyntax node) => ReportLoop(node.DoKeyword, "do");


    // Allocations
    public override void VisitObjectCreationExpression(ObjectCreationExpressionSyntax node) => ReportAllocation(node, "new " + node.Type);

    public override void VisitImplicitObjectCreationExpression(ImplicitObjectCreationExpressionSyntax node) => ReportAllocation(node, "target-typed new");

    public override void VisitAnonymousObjectCreationExpression(AnonymousObjectCreationExpressionSyntax node) => ReportAllocation(node, "anonymous object");

    public override void VisitArrayCreationExpression(ArrayCreationExpressionSyntax node) => ReportAllocation(node, "new array");

    public override void VisitImplicitArrayCreationExpression(ImplicitArrayCreationExpressionSyntax node) => ReportAllocation(node, "new array");

    public override void VisitStackAllocArrayCreationExpression(StackAllocArrayCreationExpressionSyntax node) => ReportAllocation(node, "stackalloc");

    public override void VisitImplicitStackAllocArrayCreationExpression(ImplicitStackAllocArrayCreationExpressionSyntax node) => ReportAllocation(node, "stackalloc");

    public override void VisitCollectionExpression(CollectionExpressionSyntax node) => ReportAllocation(node, "collection expression");

    public override void VisitTupleExpression(TupleExpressionSyntax node) => ReportAllocation(node, "tuple");

    // Strings
    public override void VisitInterpolatedStringExpression(InterpolatedStringExpressionSyntax node)
        => Report(DiagnosticDescriptors.StringUse, node.GetLocation(), "interpolated string");

    public override void VisitLiteralExpression(LiteralExpressionSyntax node)
    {
        switch (node.Kind())
        {
            case SyntaxKind.StringLiteralExpression:
            case SyntaxKind.Utf8StringLiteralExpression:
                Report(DiagnosticDescriptors.StringUse, node.GetLocation(), "string literal");
                return;
            case SyntaxKind.CharacterLiteralExpression:
                Report(DiagnosticDescriptors.StringUse, node.GetLocation(), "char literal");
                return;
            case SyntaxKind.NumericLiteralExpression:
                ITypeSymbol? type = _model.GetTypeInfo(node).Type;
                if (!SpecTypes.IsFloat(type) && !SpecTypes.IsInt(type) && !IsNegatedIntMinValue(node))
                {
                    Report(DiagnosticDescriptors.UnsupportedType, node.GetLocation(), SpecTypes.Display(type));
                }

                return;
            case SyntaxKind.TrueLiteralExpression:
            case SyntaxKind.FalseLiteralExpression:
                return;
            default:
                Report(DiagnosticDescriptors.UnsupportedConstruct, node.GetLocation(), $"The literal '{node}'");
                return;
        }
    }

    // Lambdas and local functions
    public override void VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) => Report(DiagnosticDescriptors.Lambda, node.GetLocation(), "lambda");

    public override void VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) => Report(DiagnosticDescriptors.Lambda, node.GetLocation(), "lambda");

    public override void VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node) => Report(DiagnosticDescriptors.Lambda, node.GetLocation(), "anonymous method");

    public override void VisitLocalFunctionStatement(LocalFunctionStatementSyntax node) => Report(DiagnosticDescriptors.Lambda, node.Identifier.GetLocation(), "local function");

    // State
    public override void VisitThisExpression(ThisExpressionSyntax node) => Report(DiagnosticDescriptors.InstanceState, node.GetLocation(), "this", "instance state");

    public override void VisitBaseExpression(BaseExpressionSyntax node) => Report(DiagnosticDescriptors.InstanceState, node.GetLocation(), "base", "instance state");

    // References
    public override void VisitRefExpression(RefExpressionSyntax node) => Report(DiagnosticDescriptors.RefOut, node.GetLocation(), node.ToString());

    public override void VisitDeclarationExpression(DeclarationExpressionSyntax node) => Report(DiagnosticDescriptors.RefOut, node.GetLocation(), node.ToString());

    public override void VisitArgument(ArgumentSyntax node)
    {
        if (!node.RefKindKeyword.IsKind(SyntaxKind.None))
        {
            Report(DiagnosticDescriptors.RefOut, node.GetLocation(), node.ToString());
            return;
        }

        Visit(node.Expression);
    }

    // Expressions that are allowed
    public override void VisitParenthesizedExpression(ParenthesizedExpressionSyntax node) => Visit(node.Expression);

    public override void VisitConditionalExpression(ConditionalExpressionSyntax node)
    {
        Visit(node.Condition);
        Visit(node.WhenTrue);
        Visit(node.WhenFalse);
    }

    public override void VisitBinaryExpression(BinaryExpressionSyntax node)
    {
        switch (node.Kind())
        {
            case SyntaxKind.AddExpression:
            case SyntaxKind.SubtractExpression:
            case SyntaxKind.MultiplyExpression:
            case SyntaxKind.DivideExpression:
            case SyntaxKind.ModuloExpression:
            case SyntaxKind.LeftShiftExpression:
            case SyntaxKind.RightShiftExpression:
            case SyntaxKind.UnsignedRightShiftExpression:
            case SyntaxKind.LogicalAndExpression:
            case SyntaxKind.LogicalOrExpression:
            case SyntaxKind.BitwiseAndExpression:
            case SyntaxKind.BitwiseOrExpression:
            case SyntaxKind.ExclusiveOrExpression:
            case SyntaxKind.EqualsExpression:
            case SyntaxKind.NotEqualsExpression:
            case SyntaxKind.LessThanExpression:
            case SyntaxKind.LessThanOrEqualExpression:
            case SyntaxKind.GreaterThanExpression:
            case SyntaxKind.GreaterThanOrEqualExpression:
                Visit(node.Left);
                Visit(node.Right);
                return;
            default:
                Report(DiagnosticDescriptors.UnsupportedConstruct, node.OperatorToken.GetLocation(), $"The '{node.OperatorToken.Text}' operator");
                return;
        }
    }

    public override void VisitPrefixUnaryExpression(PrefixUnaryExpressionSyntax node)
    {
        switch (node.Kind())
        {
            case SyntaxKind.UnaryMinusExpression:
            case SyntaxKind.UnaryPlusExpression:
            case SyntaxKind.LogicalNotExpression:
            case SyntaxKind.BitwiseNotExpression:
                Visit(node.Operand);
                return;
            default:
                Report(DiagnosticDescriptors.UnsupportedConstruct, node.GetLocation(), $"The '{node.OperatorToken.Text}' operator inside an expression (use it as a statement)");
                return;
        }
    }

    public override void VisitPostfixUnaryExpression(PostfixUnaryExpressionSyntax node)
        => Report(DiagnosticDescriptors.UnsupportedConstruct, node.GetLocation(), $"The postfix '{node.OperatorToken.Text}' operator inside an expression (use it as a statement)");

    public override void VisitAssignmentExpression(AssignmentExpressionSyntax node)
        => Report(DiagnosticDescriptors.UnsupportedConstruct, node.GetLocation(), "An assignment inside an expression (assign in its own statement)");

    public override void VisitCastExpression(CastExpressionSyntax node)
    {
        ITypeSymbol? target = _model.GetTypeInfo(node.Type).Type;
        if (!SpecTypes.IsScalar(target))
        {
            Report(DiagnosticDescriptors.UnsupportedType, node.Type.GetLocation(), SpecTypes.Display(target));
            return;
        }

        Visit(node.Expression);
    }

    public override void VisitIdentifierName(IdentifierNameSyntax node)
    {
        ISymbol? symbol = _model.GetSymbolInfo(node).Symbol;
        switch (symbol)
        {
            case IParameterSymbol parameter:
                if (SpecTypes.SpanElement(parameter.Type) is not null && !IsSpanUse(node))
                {
                    Report(DiagnosticDescriptors.UnsupportedConstruct, node.GetLocation(), $"Using the span capture '{node.Identifier.Text}' as a value (span captures can only be indexed or have Length read)");
                }

                return;
            case ILocalSymbol:
                return;
            case IFieldSymbol field:
                CheckField(field, node);
                return;
            case IPropertySymbol property:
                Report(DiagnosticDescriptors.InstanceState, node.GetLocation(), property.Name, "property");
                return;
            case IMethodSymbol method:
                Report(DiagnosticDescriptors.UnsupportedConstruct, node.GetLocation(), $"The method group '{method.Name}'");
                return;
            case null:
                return;
            default:
                Report(DiagnosticDescriptors.UnsupportedConstruct, node.GetLocation(), $"The {symbol.Kind.ToString().ToLowerInvariant()} '{node.Identifier.Text}'");
                return;
        }
    }

    public override void VisitMemberAccessExpression(MemberAccessExpressionSyntax node)
    {
        ISymbol? symbol = _model.GetSymbolInfo(node).Symbol;
        if (symbol is IPropertySymbol { Name: "Length" } && IsSpanCapture(node.Expression))
        {
            return;
        }

        switch (symbol)
        {
            case IFieldSymbol field:
                CheckField(field, node);
                return;
            case IPropertySymbol property:
                Report(DiagnosticDescriptors.InstanceState, node.GetLocation(), node.ToString(), property.IsStatic ? "static property" : "property");
                return;
            case IMethodSymbol:
                Report(DiagnosticDescriptors.UnsupportedConstruct, node.GetLocation(), $"The method group '{node}'");
                return;
            case null:
                return;
            default:
                Report(DiagnosticDescriptors.UnsupportedConstruct, node.GetLocation(), $"The member access '{node}'");
                return;
        }
    }

    public override void VisitElementAccessExpression(ElementAccessExpressionSyntax node)
    {
        if (!IsSpanCapture(node.Expression))
        {
            Report(DiagnosticDescriptors.UnsupportedConstruct, node.GetLocation(), $"Indexing '{node.Expression}' (only span captures can be indexed)");
            return;
        }

        if (node.ArgumentList.Arguments.Count != 1 || !SpecTypes.IsInt(_model.GetTypeInfo(node.ArgumentList.Arguments[0].Expression).Type))
        {
            Report(DiagnosticDescriptors.UnsupportedConstruct, node.ArgumentList.GetLocation(), "An index that is not a single int expression");
            return;
        }

        Visit(node.ArgumentList.Arguments[0]);
    }

    public override void VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        ISymbol? symbol = _model.GetSymbolInfo(node).Symbol;
        if (symbol is not IMethodSymbol method)
        {
            if (node.Expression is IdentifierNameSyntax { Identifier.Text: "nameof" })
            {
                Report(DiagnosticDescriptors.StringUse, node.GetLocation(), "nameof string");
            }

            return;
        }

        if (method.MethodKind == MethodKind.LocalFunction)
        {
            // Reported once at the local function's declaration.
            return;
        }

        if (MathFunctions.IsMathType(method.ContainingType))
        {
            if (!MathFunctions.IsSupported(method))
            {
                Report(DiagnosticDescriptors.UnsupportedMathMethod, node.GetLocation(), method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat));
                return;
            }
        }
        else if (SymbolEqualityComparer.Default.Equals(method.ContainingType, _spec) && method.IsStatic)
        {
            Calls.Add((method.OriginalDefinition, node.GetLocation()));
        }
        else
        {
            Report(DiagnosticDescriptors.ForeignMethod, node.GetLocation(), method.ContainingType.Name + "." + method.Name);
            return;
        }

        foreach (ArgumentSyntax argument in node.ArgumentList.Arguments)
        {
            Visit(argument);
        }
    }

    private void CheckAssignmentTarget(ExpressionSyntax target, ExpressionSyntax statement)
    {
        ISymbol? symbol = _model.GetSymbolInfo(target).Symbol;
        bool isLocal = symbol is ILocalSymbol;
        bool isPlainParameter = symbol is IParameterSymbol parameter && parameter.Ordinal < _firstCapture
            && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _method);
        if (target is not IdentifierNameSyntax || !(isLocal || isPlainParameter))
        {
            Report(DiagnosticDescriptors.UnsupportedConstruct, statement.GetLocation(), $"Assigning to '{target}' (only locals and index parameters can be assigned)");
        }
    }

    private void CheckField(IFieldSymbol field, ExpressionSyntax node)
    {
        if (!field.IsConst)
        {
            Report(DiagnosticDescriptors.InstanceState, node.GetLocation(), node.ToString(), field.IsStatic ? "non-const static field" : "instance field");
        }
        else if (!SpecTypes.IsScalar(field.Type))
        {
            Report(DiagnosticDescriptors.UnsupportedType, node.GetLocation(), SpecTypes.Display(field.Type));
        }
    }

    private bool IsSpanCapture(ExpressionSyntax expression)
        => expression is IdentifierNameSyntax && _model.GetSymbolInfo(expression).Symbol is IParameterSymbol parameter
            && SpecTypes.SpanElement(parameter.Type) is not null;

    private static bool IsSpanUse(IdentifierNameSyntax node)
        => node.Parent is ElementAccessExpressionSyntax access && access.Expression == node
            || node.Parent is MemberAccessExpressionSyntax { Name.Identifier.Text: "Length" } member && member.Expression == node;

    private static bool IsNegatedIntMinValue(LiteralExpressionSyntax node)
        => node.Token.Value is uint value && value == 2147483648u && node.Parent.IsKind(SyntaxKind.UnaryMinusExpression);

    private void VisitChildren(SyntaxNode node)
    {
        foreach (SyntaxNode child in node.ChildNodes())
        {
            Visit(child);
        }
    }

    private void ReportLoop(SyntaxToken keyword, string kind) => Report(DiagnosticDescriptors.Loop, keyword.GetLocation(), kind);

    private void ReportAllocation(SyntaxNode node, string what) => Report(DiagnosticDescriptors.Allocation, node.GetLocation(), what);

    private void Report(DiagnosticDescriptor descriptor, Location location, params string[] arguments)
        => _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));

    private static string Describe(SyntaxNode node)
    {
        string kind = node.Kind().ToString();
        foreach (string suffix in new[] { "Statement", "Expression" })
        {
            if (kind.EndsWith(suffix, System.StringComparison.Ordinal) && kind.Length > suffix.Length)
            {
                return $"A '{kind.Substring(0, kind.Length - suffix.Length)}' {suffix.ToLowerInvariant()}";
            }
        }

        return $"'{kind}'";
    }
}
