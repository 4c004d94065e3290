using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NativeAttention.Generators.Analysis;

namespace NativeAttention.Generators.Emit;

/// <summary>
/// Lifts a mask mod (and the helpers it calls) to interval arithmetic as C# members of the generated mod struct.
/// Statements are lowered by value: every assignment binds a fresh name, and an <c>if</c> whose condition is
/// unknown over the tile evaluates both branches (each followed by the rest of the body) and joins the results.
/// </summary>
internal sealed class IntervalEmitter
{
    private const string IntervalOps = "global::NativeAttention.Interval";
    private const string IntType = "global::NativeAttention.IntInterval";
    private const string FloatType = "global::NativeAttention.FloatInterval";
    private const string BoolType = "global::NativeAttention.BoolInterval";

    private int _next;

    public static string HelperName(IMethodSymbol method) => "__na_interval_" + method.Name;

    public string Emit(SpecMethod mask, IReadOnlyList<SpecMethod> helpers)
    {
        var output = new StringBuilder();
        var parameters = mask.Symbol.Parameters.Take(4).ToList();
        output.Append("        /// <inheritdoc/>\n");
        output.Append($"        public {BoolType} EvaluateMask(int batch, int head, {IntType} q, {IntType} kv)\n");
        output.Append($"            => __na_mask_interval({IntType}.Point(batch), {IntType}.Point(head), q, kv);\n\n");
        output.Append($"        private {BoolType} __na_mask_interval({string.Join(", ", parameters.Select(p => IntType + " @" + p.Name))})\n");
        EmitBody(output, mask, BoolType);
        foreach (SpecMethod helper in helpers)
        {
            output.Append('\n');
            string signature = string.Join(", ", helper.Symbol.Parameters.Select(p => TypeName(p.Type) + " @" + p.Name));
            output.Append($"        private static {TypeName(helper.Symbol.ReturnType)} {HelperName(helper.Symbol)}({signature})\n");
            EmitBody(output, helper, TypeName(helper.Symbol.ReturnType));
        }

        return output.ToString();
    }

    private void EmitBody(StringBuilder output, SpecMethod method, string resultType)
    {
        var env = ImmutableDictionary.Create<ISymbol, string>(SymbolEqualityComparer.Default);
        foreach (IParameterSymbol parameter in method.Symbol.Parameters)
        {
            if (!method.IsCapture(parameter))
            {
                env = env.SetItem(parameter, "@" + parameter.Name);
            }
        }

        var body = new Body(this, method, output);
        output.Append("        {\n");
        if (method.Syntax.ExpressionBody is { } arrow)
        {
            output.Append("            return ").Append(body.Expression(arrow.Expression, env)).Append(";\n");
        }
        else
        {
            string result = "__na_r" + _next++;
            output.Append($"            {resultType} {result};\n");
            body.Statements(method.Syntax.Body!.Statements.ToList(), env, result, resultType, 3);
            output.Append($"            return {result};\n");
        }

        output.Append("        }\n");
    }

    private static string TypeName(ITypeSymbol type)
        => SpecTypes.IsFloat(type) ? FloatType : SpecTypes.IsInt(type) ? IntType : BoolType;

    private sealed class Body
    {
        private readonly IntervalEmitter _owner;
        private readonly SpecMethod _method;
        private readonly StringBuilder _output;

        public Body(IntervalEmitter owner, SpecMethod method, StringBuilder output)
        {
            _owner = owner;
            _method = method;
            _output = output;
        }

        private SemanticModel Model => _method.Model;

        public void Statements(List<StatementSyntax> statements, ImmutableDictionary<ISymbol, string> env, string result, string resultType, int depth)
        {
            string indent = new(' ', 4 * depth);
            for (int index = 0; index < statements.Count; index++)
            {
                StatementSyntax statement = statements[index];
                List<StatementSyntax> Rest() => statements.Skip(index + 1).ToList();
                switch (statement)
                {
                    case BlockSyntax block:
                        Statements(block.Statements.Concat(Rest()).ToList(), env, result, resultType, depth);
                        return;
                    case EmptyStatementSyntax:
                        continue;
                    case LocalDeclarationStatementSyntax declaration:
                        foreach (VariableDeclaratorSyntax variable in declaration.Declaration.Variables)
                        {
                            if (variable.Initializer is { } initializer)
                            {
                                ISymbol local = Model.GetDeclaredSymbol(variable)!;
                                env = Bind(env, local, Expression(initializer.Value, env), indent);
                            }
                        }

                        continue;
                    case ExpressionStatementSyntax expressionStatement:
                        (ISymbol target, string value) = Assignment(expressionStatement.Expression, env);
                        env = Bind(env, target, value, indent);
                        continue;
                    case ReturnStatementSyntax ret:
                        _output.Append(indent).Append(result).Append(" = ").Append(Expression(ret.Expression!, env)).Append(";\n");
                        return;
                    case IfStatementSyntax ifStatement:
                        string condition = "__na_c" + _owner._next++;
                        string whenTrue = "__na_t" + _owner._next++;
                        string whenFalse = "__na_f" + _owner._next++;
                        _output.Append(indent).Append($"var {condition} = {Expression(ifStatement.Condition, env)};\n");
                        _output.Append(indent).Append($"{resultType} {whenTrue} = default, {whenFalse} = default;\n");
                        _output.Append(indent).Append($"if ({condition}.MayBeTrue)\n{indent}{{\n");
                        Statements(new List<StatementSyntax> { ifStatement.Statement }.Concat(Rest()).ToList(), env, whenTrue, resultType, depth + 1);
                        _output.Append(indent).Append("}\n");
                        _output.Append(indent).Append($"if ({condition}.MayBeFalse)\n{indent}{{\n");
                        var elseStatements = ifStatement.Else is { } elseClause ? new List<StatementSyntax> { elseClause.Statement } : [];
                        Statements(elseStatements.Concat(Rest()).ToList(), env, whenFalse, resultType, depth + 1);
                        _output.Append(indent).Append("}\n");
                        _output.Append(indent).Append($"{result} = {IntervalOps}.Select({condition}, {whenTrue}, {whenFalse});\n");
                        return;
                    default:
                        throw new System.InvalidOperationException("The checker admitted an untranslatable statement: " + statement.Kind());
                }
            }

            throw new System.InvalidOperationException("A spec method path ends without a return.");
        }

        public string Expression(ExpressionSyntax expression, ImmutableDictionary<ISymbol, string> env)
        {
            string code = Raw(expression, env);
            TypeInfo info = Model.GetTypeInfo(expression);
            return SpecTypes.IsInt(info.Type) && SpecTypes.IsFloat(info.ConvertedType) ? $"{IntervalOps}.ToFloat({code})" : code;
        }

        private ImmutableDictionary<ISymbol, string> Bind(ImmutableDictionary<ISymbol, string> env, ISymbol symbol, string value, string indent)
        {
            string name = "__na_v" + _owner._next++;
            _output.Append(indent).Append($"var {name} = {value};\n");
            return env.SetItem(symbol, name);
        }

        private (ISymbol Target, string Value) Assignment(ExpressionSyntax expression, ImmutableDictionary<ISymbol, string> env)
        {
            switch (expression)
            {
                case AssignmentExpressionSyntax assignment:
                    ISymbol target = Model.GetSymbolInfo(assignment.Left).Symbol!;
                    if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
                    {
                        return (target, Expression(assignment.Right, env));
                    }

                    ITypeSymbol targetType = TargetType(target);
                    ITypeSymbol rightType = Model.GetTypeInfo(assignment.Right).Type!;
                    bool floatOperation = SpecTypes.IsFloat(targetType) || SpecTypes.IsFloat(rightType);
                    string left = floatOperation && SpecTypes.IsInt(targetType) ? $"{IntervalOps}.ToFloat({env[target]})" : env[target];
                    string right = Raw(assignment.Right, env);
                    right = floatOperation && SpecTypes.IsInt(rightType) ? $"{IntervalOps}.ToFloat({right})" : right;
                    string operandType = floatOperation ? "float" : SpecTypes.IsBool(targetType) ? "bool" : "int";
                    string value = $"{IntervalOps}.{OperationName(CompoundAssignments.ToBinary(assignment.Kind()), operandType)}({left}, {right})";
                    return (target, floatOperation && SpecTypes.IsInt(targetType) ? $"{IntervalOps}.ToInt({value})" : value);
                case PrefixUnaryExpressionSyntax prefix:
                    return Step(prefix.Operand, prefix.IsKind(SyntaxKind.PreIncrementExpression), env);
                case PostfixUnaryExpressionSyntax postfix:
                    return Step(postfix.Operand, postfix.IsKind(SyntaxKind.PostIncrementExpression), env);
                default:
                    throw new System.InvalidOperationException("The checker admitted an untranslatable statement expression: " + expression.Kind());
            }
        }

        private (ISymbol Target, string Value) Step(ExpressionSyntax operand, bool increment, ImmutableDictionary<ISymbol, string> env)
        {
            ISymbol target = Model.GetSymbolInfo(operand).Symbol!;
            string one = SpecTypes.IsFloat(TargetType(target)) ? $"{FloatType}.Point(1f)" : $"{IntType}.Point(1)";
            return (target, $"{IntervalOps}.{(increment ? "Add" : "Subtract")}({env[target]}, {one})");
        }

        private static ITypeSymbol TargetType(ISymbol symbol) => symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            _ => throw new System.InvalidOperationException("Assignment target must be a local or parameter."),
        };

        private string Raw(ExpressionSyntax expression, ImmutableDictionary<ISymbol, string> env)
        {
            Optional<object?> constant = Model.GetConstantValue(expression);
            if (constant.HasValue)
            {
                switch (constant.Value)
                {
                    case float f:
                        return $"{FloatType}.Point({Literals.CSharpFloat(f)})";
                    case int i:
                        return $"{IntType}.Point({Literals.CSharpInt(i)})";
                    case bool b:
                        return b ? $"{BoolType}.True" : $"{BoolType}.False";
                }
            }

            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    return Raw(parenthesized.Expression, env);
                case IdentifierNameSyntax identifier:
                    ISymbol symbol = Model.GetSymbolInfo(identifier).Symbol!;
                    if (symbol is IParameterSymbol parameter && _method.IsCapture(parameter))
                    {
                        return $"{(SpecTypes.IsFloat(parameter.Type) ? FloatType : IntType)}.Point(this._{parameter.Name})";
                    }

                    return env[symbol];
                case MemberAccessExpressionSyntax member:
                    return $"{IntType}.Point(this._{Model.GetSymbolInfo(member.Expression).Symbol!.Name}.Length)";
                case ElementAccessExpressionSyntax element:
                    return $"{IntervalOps}.Read(this._{Model.GetSymbolInfo(element.Expression).Symbol!.Name}.Span, {Expression(element.ArgumentList.Arguments[0].Expression, env)})";
                case BinaryExpressionSyntax binary:
                    ITypeSymbol operandType = Model.GetTypeInfo(binary.Left).ConvertedType!;
                    string type = SpecTypes.IsFloat(operandType) ? "float" : SpecTypes.IsInt(operandType) ? "int" : "bool";
                    return $"{IntervalOps}.{OperationName(binary.Kind(), type)}({Expression(binary.Left, env)}, {Expression(binary.Right, env)})";
                case PrefixUnaryExpressionSyntax unary:
                    string operand = Expression(unary.Operand, env);
                    return unary.Kind() switch
                    {
                        SyntaxKind.UnaryMinusExpression => $"{IntervalOps}.Negate({operand})",
                        SyntaxKind.UnaryPlusExpression => operand,
                        SyntaxKind.LogicalNotExpression => $"{IntervalOps}.Not({operand})",
                        _ => $"{IntervalOps}.OnesComplement({operand})",
                    };
                case ConditionalExpressionSyntax conditional:
                    return $"{IntervalOps}.Select({Expression(conditional.Condition, env)}, {Expression(conditional.WhenTrue, env)}, {Expression(conditional.WhenFalse, env)})";
                case CastExpressionSyntax cast:
                    ITypeSymbol targetType = Model.GetTypeInfo(cast.Type).Type!;
                    ITypeSymbol sourceType = Model.GetTypeInfo(cast.Expression).Type!;
                    string inner = Raw(cast.Expression, env);
                    return SpecTypes.IsInt(targetType) && SpecTypes.IsFloat(sourceType) ? $"{IntervalOps}.ToInt({inner})"
                        : SpecTypes.IsFloat(targetType) && SpecTypes.IsInt(sourceType) ? $"{IntervalOps}.ToFloat({inner})"
                        : inner;
                case InvocationExpressionSyntax invocation:
                    var method = (IMethodSymbol)Model.GetSymbolInfo(invocation).Symbol!;
                    string callee = MathFunctions.IsMathType(method.ContainingType) ? IntervalOps + "." + method.Name : HelperName(method);
                    return callee + "(" + string.Join(", ", invocation.ArgumentList.Arguments.Select(a => Expression(a.Expression, env))) + ")";
                default:
                    throw new System.InvalidOperationException("The checker admitted an untranslatable expression: " + expression.Kind());
            }
        }

        private static string OperationName(SyntaxKind kind, string operandType) => kind switch
        {
            SyntaxKind.AddExpression => "Add",
            SyntaxKind.SubtractExpression => "Subtract",
            SyntaxKind.MultiplyExpression => "Multiply",
            SyntaxKind.DivideExpression => "Divide",
            SyntaxKind.ModuloExpression => "Remainder",
            SyntaxKind.LeftShiftExpression => "LeftShift",
            SyntaxKind.RightShiftExpression => "RightShift",
            SyntaxKind.UnsignedRightShiftExpression => "UnsignedRightShift",
            SyntaxKind.LogicalAndExpression => "And",
            SyntaxKind.LogicalOrExpression => "Or",
            SyntaxKind.BitwiseAndExpression => operandType == "bool" ? "And" : "BitwiseAnd",
            SyntaxKind.BitwiseOrExpression => operandType == "bool" ? "Or" : "BitwiseOr",
            SyntaxKind.ExclusiveOrExpression => "ExclusiveOr",
            SyntaxKind.EqualsExpression => "Equal",
            SyntaxKind.NotEqualsExpression => "NotEqual",
            SyntaxKind.LessThanExpression => "LessThan",
            SyntaxKind.LessThanOrEqualExpression => "LessThanOrEqual",
            SyntaxKind.GreaterThanExpression => "GreaterThan",
            SyntaxKind.GreaterThanOrEqualExpression => "GreaterThanOrEqual",
            _ => throw new System.InvalidOperationException("Unsupported operator " + kind),
        };
    }
}
