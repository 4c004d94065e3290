using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NativeAttention.Generators.Analysis;

namespace NativeAttention.Generators.Emit;

/// <summary>
/// Translates a score or mask mod into a lane-by-lane C# expression over consecutive key positions (the score and kv
/// vary per lane; batch, head, q and captures are uniform), and writes the Mods struct's ScoreRow/MaskRow methods for
/// Vector256 and Vector512 from it. A mod gets a vector form only when every node keeps the scalar C# result bit for
/// bit: float + - * / and conversions are IEEE per lane on both paths (RyuJIT contracts neither into FMA), int + - *
/// wrap on both, negation flips the sign bit as scalar negation does, and Vector Min/Max/Abs follow MathF's IEEE
/// 754:2019 rules. Only which of two NaN operands comes out may differ, as it may between two JIT compilations of the
/// scalar code, since the JIT commutes additions and products. Int / and % by a uniform divisor go through doubles
/// (SpecVectorMath.Divide, exact for 32-bit ints), with rows whose divisor is 0 or -1 sent down the scalar path so
/// that they throw as the scalar code does; int / and % by a per-key divisor, int Abs (which throws on the scalar path), helpers and
/// transcendental functions (whose vector forms round differently) leave the mod scalar. The one exception is Tanh, for
/// soft-capping: SpecVectorMath.Tanh stays within 1 ulp of the exact value, where MathF.Tanh, the C runtime's tanhf, is
/// itself neither correctly rounded nor the same on every platform, and the scalar call costs more than the rest of the
/// score's work. A block body may declare initialized locals before its one return; they become variables of the
/// vector loop.
/// A span capture indexed by a bare batch, head or q is read once per row: ValidateCaptures proves those reads in range,
/// so reading them even for lanes the scalar path would not evaluate cannot throw where the scalar path would not. Any
/// other int index is gathered lane by lane (relative-position biases); a chunk with a lane out of range leaves the
/// vector loop before the gather, and the scalar tail reads, and throws, exactly as the scalar code does. Int Math.Clamp
/// with uniform bounds is Min/Max after a row guard like the divisors' (Clamp throws when its bounds cross).
/// </summary>
internal sealed class VectorEmitter
{
    private const string Vector = "__NA_VECTOR__";
    private const string Bits = "__NA_BITS__";
    private const string VectorApi = "global::System.Runtime.Intrinsics." + Vector;
    private const string ScoreLanes = "scoreLanes";
    private const string KvLanes = "kvLanes";

    private readonly SpecMethod _mod;
    private readonly List<string> _divisors = new();
    private readonly List<(string Min, string Max)> _clampBounds = new();
    private readonly Dictionary<ILocalSymbol, (string Name, Shape Shape)> _locals = new(SymbolEqualityComparer.Default);
    private readonly StringBuilder _localDeclarations = new();
    private bool _readsLocal;
    private bool _usesScore;
    private bool _usesKv;
    private int _gatherCount;

    private VectorEmitter(SpecMethod mod)
    {
        _mod = mod;
    }

    private enum Shape
    {
        Uniform,
        Lane,
    }

    private SemanticModel Model => _mod.Model;

    /// <summary>Returns the ScoreRow256/512 or MaskRow256/512 members for a mod with a vector form, otherwise null.</summary>
    public static string? TryEmit(SpecMethod mod)
    {
        var emitter = new VectorEmitter(mod);
        ExpressionSyntax? returned = mod.Syntax.ExpressionBody?.Expression ?? emitter.TryLocals(mod.Syntax.Body);
        if (returned is null || emitter.Translate(returned) is not { } result)
        {
            return null;
        }

        bool isScore = mod.Role == SpecMethodRole.Score;
        string lanes = result.Shape == Shape.Lane ? result.Code : Broadcast(result.Code, isScore ? "float" : "bool");
        var members = new StringBuilder();
        string template = emitter.RowMethod(isScore, lanes);
        foreach (string bits in new[] { "256", "512" })
        {
            members.Append(template.Replace(Vector, "Vector" + bits).Replace(Bits, bits));
        }

        return members.ToString();
    }

    // A block body qualifies when it is local declarations, each with one initialized variable that later statements
    // never assign (there are none but the return), then one return: each local becomes a variable of the vector loop.
    private ExpressionSyntax? TryLocals(BlockSyntax? body)
    {
        if (body is null || body.Statements.Count == 0 || body.Statements[body.Statements.Count - 1] is not ReturnStatementSyntax { Expression: { } returned })
        {
            return null;
        }

        for (int i = 0; i < body.Statements.Count - 1; i++)
        {
            if (body.Statements[i] is not LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables }
                || variables[0] is not { Initializer: { } initializer } variable
                || Model.GetDeclaredSymbol(variable) is not ILocalSymbol local
                || Translate(initializer.Value) is not { } value)
            {
                return null;
            }

            string name = "__na_" + local.Name;
            string type = SpecTypes.IsFloat(local.Type) ? "float" : SpecTypes.IsInt(local.Type) ? "int" : "bool";
            string declared = value.Shape == Shape.Uniform
                ? (type == "bool" ? "bool" : type)
                : type == "float" ? VectorApi + "<float>" : VectorApi + "<int>";
            _localDeclarations.Append("                ").Append(declared).Append(' ').Append(name).Append(" = ").Append(value.Code).Append(";\n");
            _locals[local] = (name, value.Shape);
        }

        return returned;
    }

    private string RowMethod(bool isScore, string lanes)
    {
        string vectorFloat = VectorApi + "<float>";
        var method = new StringBuilder();
        method.Append("        /// <inheritdoc/>\n");
        method.Append("        public void ").Append(isScore ? "ScoreRow" : "MaskRow").Append(Bits).Append("(global::System.Span<float> scores, int batch, int head, int q, int kvFirst)\n        {\n");
        method.Append("            int j = 0;\n");
        // A divisor of 0 or -1 is where the scalar C# throws (DivideByZeroException, or OverflowException for
        // int.MinValue / -1): such a row skips the vector loop, so the scalar tail takes all of it and throws exactly when
        // the scalar code does.
        // Math.Clamp throws when its bounds cross: such a row takes the scalar tail the same way.
        var rowConditions = new List<string>();
        if (_divisors.Count > 0)
        {
            rowConditions.Add("!(" + string.Join(" || ", _divisors.Distinct().Select(d => $"{d} == 0 || {d} == -1")) + ")");
        }

        rowConditions.AddRange(_clampBounds.Distinct().Select(b => $"{b.Min} <= {b.Max}"));
        string vectorRow = string.Concat(rowConditions.Select(c => c + " && "));

        // No IsHardwareAccelerated test: kernels pick the width that is accelerated, and on other machines the software
        // Vector512 gives the same lanes, which lets the 512-bit form be tested where AVX-512 is missing.
        method.Append("            ref float first = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(scores);\n");
        method.Append("            for (; ").Append(vectorRow).Append("j <= scores.Length - ").Append(vectorFloat).Append(".Count; j += ").Append(vectorFloat).Append(".Count)\n            {\n");
        if (_usesKv)
        {
            method.Append("                ").Append(VectorApi).Append("<int> ").Append(KvLanes).Append(" = ").Append(VectorApi).Append(".Create(kvFirst + j) + ").Append(VectorApi).Append("<int>.Indices;\n");
        }

        if (isScore && _usesScore)
        {
            method.Append("                ").Append(vectorFloat).Append(' ').Append(ScoreLanes).Append(" = ").Append(VectorApi).Append(".LoadUnsafe(ref first, (nuint)j);\n");
        }

        method.Append(_localDeclarations);
        if (isScore)
        {
            method.Append("                ").Append(VectorApi).Append(".StoreUnsafe(").Append(lanes).Append(", ref first, (nuint)j);\n");
        }
        else
        {
            method.Append("                ").Append(vectorFloat).Append(" kept = ").Append(VectorApi).Append(".AsSingle(").Append(lanes).Append(");\n");
            method.Append("                ").Append(VectorApi).Append(".StoreUnsafe(").Append(VectorApi)
                .Append(".ConditionalSelect(kept, ").Append(VectorApi).Append(".LoadUnsafe(ref first, (nuint)j), ")
                .Append(VectorApi).Append(".Create(float.NegativeInfinity)), ref first, (nuint)j);\n");
        }

        method.Append("            }\n\n");
        method.Append("            for (; j < scores.Length; j++)\n            {\n");
        method.Append(isScore
            ? "                scores[j] = this.Score(scores[j], batch, head, q, kvFirst + j);\n"
            : "                if (!this.Mask(batch, head, q, kvFirst + j))\n                {\n                    scores[j] = float.NegativeInfinity;\n                }\n");
        method.Append("            }\n        }\n\n");
        return method.ToString();
    }

    private (string Code, Shape Shape)? Translate(ExpressionSyntax expression)
    {
        if (Raw(expression) is not { } raw)
        {
            return null;
        }

        TypeInfo info = Model.GetTypeInfo(expression);
        if (SpecTypes.IsInt(info.Type) && SpecTypes.IsFloat(info.ConvertedType))
        {
            return raw.Shape == Shape.Uniform ? ($"((float){raw.Code})", Shape.Uniform) : ($"{VectorApi}.ConvertToSingle({raw.Code})", Shape.Lane);
        }

        return raw;
    }

    private (string Code, Shape Shape)? Raw(ExpressionSyntax expression)
    {
        Optional<object?> constant = Model.GetConstantValue(expression);
        if (constant.HasValue)
        {
            return constant.Value switch
            {
                float f => (Literals.CSharpFloat(f), Shape.Uniform),
                int i => (Literals.CSharpInt(i), Shape.Uniform),
                bool b => (Literals.Bool(b), Shape.Uniform),
                _ => null,
            };
        }

        return expression switch
        {
            ParenthesizedExpressionSyntax parenthesized => Raw(parenthesized.Expression),
            IdentifierNameSyntax identifier => Identifier(identifier),
            MemberAccessExpressionSyntax member => Length(member),
            ElementAccessExpressionSyntax element => Element(element),
            BinaryExpressionSyntax binary => Binary(binary),
            PrefixUnaryExpressionSyntax unary => Unary(unary),
            ConditionalExpressionSyntax conditional => Conditional(conditional),
            CastExpressionSyntax cast => Cast(cast),
            InvocationExpressionSyntax invocation => Invocation(invocation),
            _ => null,
        };
    }

    private (string Code, Shape Shape)? Identifier(IdentifierNameSyntax identifier)
    {
        if (Model.GetSymbolInfo(identifier).Symbol is ILocalSymbol local)
        {
            _readsLocal = true;
            return _locals.TryGetValue(local, out var declared) ? declared : null;
        }

        if (Model.GetSymbolInfo(identifier).Symbol is not IParameterSymbol parameter
            || !SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _mod.Symbol))
        {
            return null;
        }

        if (_mod.IsCapture(parameter))
        {
            return SpecTypes.IsScalar(parameter.Type) ? ("this._" + parameter.Name, Shape.Uniform) : null;
        }

        if (_mod.Role == SpecMethodRole.Score && parameter.Ordinal == 0)
        {
            _usesScore = true;
            return (ScoreLanes, Shape.Lane);
        }

        switch (_mod.IndexRole(parameter))
        {
            case "kv":
                _usesKv = true;
                return (KvLanes, Shape.Lane);
            case { } role:
                return (role, Shape.Uniform);
            default:
                return null;
        }
    }

    private (string Code, Shape Shape)? Length(MemberAccessExpressionSyntax member)
        => member.Name.Identifier.Text == "Length" && CaptureSpan(member.Expression) is { } capture
            ? ("this._" + capture.Name + ".Length", Shape.Uniform)
            : null;

    private (string Code, Shape Shape)? Element(ElementAccessExpressionSyntax element)
    {
        if (CaptureSpan(element.Expression) is not { } capture || element.ArgumentList.Arguments.Count != 1)
        {
            return null;
        }

        ExpressionSyntax indexExpression = element.ArgumentList.Arguments[0].Expression;
        if (indexExpression is IdentifierNameSyntax index
            && Model.GetSymbolInfo(index).Symbol is IParameterSymbol indexParameter
            && _mod.IndexRole(indexParameter) is { } role
            && role != "kv")
        {
            return ("this._" + capture.Name + ".Span[" + role + "]", Shape.Uniform);
        }

        // Any other index is gathered lane by lane. A chunk with a lane out of range leaves the vector loop first, so
        // that the scalar mod reads that element and throws as it always has, and no gather reads outside the capture.
        if (TypeOf(indexExpression) != "int" || Translate(indexExpression) is not { } lanes)
        {
            return null;
        }

        string name = "__na_index" + _gatherCount++;
        string length = "this._" + capture.Name + ".Length";
        _localDeclarations.Append("                ").Append(VectorApi).Append("<int> ").Append(name).Append(" = ").Append(Lanes(lanes, "int")).Append(";\n");
        _localDeclarations.Append("                if (!global::NativeAttention.SpecVectorMath.AllWithin(").Append(name).Append(", ").Append(length)
            .Append("))\n                {\n                    break;\n                }\n\n");
        return ($"global::NativeAttention.SpecVectorMath.Gather(this._{capture.Name}, {name})", Shape.Lane);
    }

    private IParameterSymbol? CaptureSpan(ExpressionSyntax expression)
        => Model.GetSymbolInfo(expression).Symbol is IParameterSymbol parameter && _mod.IsCapture(parameter) && SpecTypes.SpanElement(parameter.Type) is not null
            ? parameter
            : null;

    private (string Code, Shape Shape)? Binary(BinaryExpressionSyntax binary)
    {
        ITypeSymbol? operandType = Model.GetTypeInfo(binary.Left).ConvertedType;
        string type = SpecTypes.IsFloat(operandType) ? "float" : SpecTypes.IsInt(operandType) ? "int" : SpecTypes.IsBool(operandType) ? "bool" : string.Empty;
        SyntaxKind kind = binary.Kind();
        bool supported = kind switch
        {
            SyntaxKind.AddExpression or SyntaxKind.SubtractExpression or SyntaxKind.MultiplyExpression => type is "float" or "int",
            SyntaxKind.DivideExpression => type is "float" or "int",
            SyntaxKind.ModuloExpression => type == "int",
            SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression
                or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression => type is "float" or "int",
            SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression => type.Length > 0,
            SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression => type == "bool",
            _ => false,
        };
        bool readsLocalBefore = _readsLocal;
        _readsLocal = false;
        if (!supported || Translate(binary.Left) is not { } left)
        {
            return null;
        }

        bool leftReadsLocal = _readsLocal;
        _readsLocal = false;
        if (Translate(binary.Right) is not { } right)
        {
            return null;
        }

        bool rightReadsLocal = _readsLocal;
        _readsLocal = readsLocalBefore || leftReadsLocal || rightReadsLocal;

        bool intDivision = type == "int" && kind is SyntaxKind.DivideExpression or SyntaxKind.ModuloExpression;
        if (intDivision)
        {
            // The row's guard tests the divisor before the loop declares any local, so it may read none.
            if (right.Shape != Shape.Uniform || rightReadsLocal)
            {
                return null;
            }

            _divisors.Add(right.Code);
        }

        if (left.Shape == Shape.Uniform && right.Shape == Shape.Uniform)
        {
            return ($"({left.Code} {binary.OperatorToken.Text} {right.Code})", Shape.Uniform);
        }

        if (intDivision)
        {
            string quotient = Quotient(left.Code, right.Code);
            return kind == SyntaxKind.DivideExpression
                ? (quotient, Shape.Lane)
                : ($"({left.Code} - ({quotient} * {VectorApi}.Create({right.Code})))", Shape.Lane);
        }

        string l = Lanes(left, type), r = Lanes(right, type);
        string Compare(string name) => type == "float" ? $"{VectorApi}.AsInt32({VectorApi}.{name}({l}, {r}))" : $"{VectorApi}.{name}({l}, {r})";
        string code = kind switch
        {
            SyntaxKind.AddExpression or SyntaxKind.SubtractExpression or SyntaxKind.MultiplyExpression or SyntaxKind.DivideExpression
                => $"({l} {binary.OperatorToken.Text} {r})",
            SyntaxKind.LessThanExpression => Compare("LessThan"),
            SyntaxKind.LessThanOrEqualExpression => Compare("LessThanOrEqual"),
            SyntaxKind.GreaterThanExpression => Compare("GreaterThan"),
            SyntaxKind.GreaterThanOrEqualExpression => Compare("GreaterThanOrEqual"),
            SyntaxKind.EqualsExpression => Compare("Equals"),
            SyntaxKind.NotEqualsExpression => $"(~{Compare("Equals")})",
            SyntaxKind.LogicalAndExpression => $"({l} & {r})",
            _ => $"({l} | {r})",
        };
        return (code, Shape.Lane);
    }

    private (string Code, Shape Shape)? Unary(PrefixUnaryExpressionSyntax unary)
    {
        if (Translate(unary.Operand) is not { } operand)
        {
            return null;
        }

        string type = TypeOf(unary);
        SyntaxKind kind = unary.Kind();
        if (kind == SyntaxKind.UnaryPlusExpression)
        {
            return operand;
        }

        if (kind is not (SyntaxKind.UnaryMinusExpression or SyntaxKind.LogicalNotExpression) || type.Length == 0)
        {
            return null;
        }

        if (operand.Shape == Shape.Uniform)
        {
            return ($"({unary.OperatorToken.Text}{operand.Code})", Shape.Uniform);
        }

        return kind == SyntaxKind.LogicalNotExpression
            ? ($"(~{operand.Code})", Shape.Lane)
            : type == "float"
                ? ($"({operand.Code} ^ {VectorApi}.Create(-0.0f))", Shape.Lane)
                : ($"({VectorApi}<int>.Zero - {operand.Code})", Shape.Lane);
    }

    private (string Code, Shape Shape)? Conditional(ConditionalExpressionSyntax conditional)
    {
        string type = TypeOf(conditional);
        if (type.Length == 0
            || Translate(conditional.Condition) is not { } condition
            || Translate(conditional.WhenTrue) is not { } whenTrue
            || Translate(conditional.WhenFalse) is not { } whenFalse)
        {
            return null;
        }

        if (condition.Shape == Shape.Uniform)
        {
            return whenTrue.Shape == Shape.Uniform && whenFalse.Shape == Shape.Uniform
                ? ($"({condition.Code} ? {whenTrue.Code} : {whenFalse.Code})", Shape.Uniform)
                : ($"({condition.Code} ? {Lanes(whenTrue, type)} : {Lanes(whenFalse, type)})", Shape.Lane);
        }

        string mask = type == "float" ? $"{VectorApi}.AsSingle({condition.Code})" : condition.Code;
        return ($"{VectorApi}.ConditionalSelect({mask}, {Lanes(whenTrue, type)}, {Lanes(whenFalse, type)})", Shape.Lane);
    }

    private (string Code, Shape Shape)? Cast(CastExpressionSyntax cast)
    {
        ITypeSymbol? target = Model.GetTypeInfo(cast.Type).Type;
        ITypeSymbol? source = Model.GetTypeInfo(cast.Expression).Type;
        if (Translate(cast.Expression) is not { } operand)
        {
            return null;
        }

        if (SymbolEqualityComparer.Default.Equals(target, source))
        {
            return operand;
        }

        if (!SpecTypes.IsFloat(target) || !SpecTypes.IsInt(source))
        {
            return null;
        }

        return operand.Shape == Shape.Uniform
            ? ($"((float){operand.Code})", Shape.Uniform)
            : ($"{VectorApi}.ConvertToSingle({operand.Code})", Shape.Lane);
    }

    private (string Code, Shape Shape)? Invocation(InvocationExpressionSyntax invocation)
    {
        if (Model.GetSymbolInfo(invocation).Symbol is not IMethodSymbol method
            || !MathFunctions.IsMathType(method.ContainingType)
            || method.Name is not ("Abs" or "Min" or "Max" or "Clamp" or "Tanh"))
        {
            return null;
        }

        string type = SpecTypes.IsFloat(method.Parameters[0].Type) ? "float" : "int";
        var arguments = new List<(string Code, Shape Shape)>();
        var argumentReadsLocal = new List<bool>();
        bool readsLocalBefore = _readsLocal;
        foreach (ArgumentSyntax argument in invocation.ArgumentList.Arguments)
        {
            _readsLocal = false;
            if (Translate(argument.Expression) is not { } translated)
            {
                return null;
            }

            arguments.Add(translated);
            argumentReadsLocal.Add(_readsLocal);
        }

        _readsLocal = readsLocalBefore || argumentReadsLocal.Contains(true);

        if (arguments.All(a => a.Shape == Shape.Uniform))
        {
            return ($"global::System.{method.ContainingType.Name}.{method.Name}({string.Join(", ", arguments.Select(a => a.Code))})", Shape.Uniform);
        }

        // Math.Abs(int.MinValue) throws on the scalar path; the vector form would wrap.
        if (method.Name == "Abs" && type == "int")
        {
            return null;
        }

        // Int Clamp by uniform bounds is Min(Max(value, min), max) once the row has checked min <= max. Float Clamp keeps
        // -0 where Vector Max would give +0, and bounds that vary by key would need the check per lane: both stay scalar.
        if (method.Name == "Clamp")
        {
            // The row's guard tests the bounds before the loop declares any local, so they may read none.
            if (type != "int" || arguments[1].Shape == Shape.Lane || arguments[2].Shape == Shape.Lane || argumentReadsLocal[1] || argumentReadsLocal[2])
            {
                return null;
            }

            _clampBounds.Add((arguments[1].Code, arguments[2].Code));
            return ($"{VectorApi}.Min({VectorApi}.Max({arguments[0].Code}, {Broadcast(arguments[1].Code, type)}), {Broadcast(arguments[2].Code, type)})", Shape.Lane);
        }

        if (method.Name == "Tanh")
        {
            return ($"global::NativeAttention.SpecVectorMath.Tanh({Lanes(arguments[0], type)})", Shape.Lane);
        }

        return ($"{VectorApi}.{method.Name}({string.Join(", ", arguments.Select(a => Lanes(a, type)))})", Shape.Lane);
    }

    // NativeAttention.SpecVectorMath.Divide, overloaded for both widths, says why dividing through doubles is exact.
    private static string Quotient(string dividend, string divisor)
        => $"global::NativeAttention.SpecVectorMath.Divide({dividend}, {divisor})";

    private string TypeOf(ExpressionSyntax expression)
    {
        ITypeSymbol? type = Model.GetTypeInfo(expression).Type;
        return SpecTypes.IsFloat(type) ? "float" : SpecTypes.IsInt(type) ? "int" : SpecTypes.IsBool(type) ? "bool" : string.Empty;
    }

    private static string Lanes((string Code, Shape Shape) value, string type)
        => value.Shape == Shape.Lane ? value.Code : Broadcast(value.Code, type);

    // Lane booleans are int masks (all bits set or clear), so that float and int comparisons combine with & and |.
    private static string Broadcast(string code, string type)
        => type == "bool"
            ? $"({code} ? {VectorApi}<int>.AllBitsSet : {VectorApi}<int>.Zero)"
            : $"{VectorApi}.Create({code})";
}
